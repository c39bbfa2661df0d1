/** An entry read again within this many milliseconds keeps its place in the eviction order. */
const REORDER_AFTER_MS = 1000;

/**
 * A map with a size bound and a per-entry expiry, for the in-memory caches of the hot paths.
 *
 * Least recently used entries leave first once `maxEntries` is reached, so memory stays bounded
 * whatever callers send. An expired entry is never returned; it is dropped when it is next read
 * or when it reaches the cold end. A `Map` keeps insertion order, so moving an entry to the
 * warm end is a delete and a set: O(1), no timers. A hot entry is moved at most once a second,
 * so the order is least recently used to within a second and a hit usually costs one lookup.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number; usedAt: number }>();

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live value under `key`, marked as recently used; undefined when absent or expired. */
  get(key: K, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (now - entry.usedAt >= REORDER_AFTER_MS) {
      entry.usedAt = now;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  /** Stores `value` until `expiresAt` (epoch ms), evicting the least recently used entries. */
  set(key: K, value: V, expiresAt: number, now = Date.now()): void {
    this.entries.delete(key);
    if (this.maxEntries <= 0) return;
    this.entries.set(key, { value, expiresAt, usedAt: now });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as K);
    }
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  /** Drops every entry for which `predicate` holds. O(n): for rare events such as key changes. */
  deleteWhere(predicate: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.entries)
      if (predicate(entry.value, key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('returns a value until its expiry, and never after', () => {
    const cache = new BoundedCache<string, number>(10);
    cache.set('a', 1, 1000);
    expect(cache.get('a', 999)).toBe(1);
    expect(cache.get('a', 1000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds at most maxEntries, dropping the least recently used first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1, Infinity, 0);
    cache.set('b', 2, Infinity, 0);
    expect(cache.get('a', 5000)).toBe(1);
    cache.set('c', 3, Infinity, 5000);
    expect([cache.get('a', 6000), cache.get('b', 6000), cache.get('c', 6000), cache.size]).toEqual([
      1,
      undefined,
      3,
      2,
    ]);
  });

  it('moves an entry read again within a second no further: the order is LRU to within a second', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1, Infinity, 0);
    cache.set('b', 2, Infinity, 0);
    expect(cache.get('a', 999)).toBe(1);
    cache.set('c', 3, Infinity, 999);
    expect([cache.get('a', 999), cache.get('b', 999), cache.get('c', 999)]).toEqual([
      undefined,
      2,
      3,
    ]);
  });

  it('stays at its bound whatever the number of distinct keys', () => {
    const cache = new BoundedCache<number, number>(1000);
    for (let i = 0; i < 100_000; i++) cache.set(i, i, Infinity);
    expect(cache.size).toBe(1000);
    expect(cache.get(99_999, 0)).toBe(99_999);
    expect(cache.get(0, 0)).toBeUndefined();
  });

  it('stores nothing with a bound of 0', () => {
    const cache = new BoundedCache<string, number>(0);
    cache.set('a', 1, Infinity);
    expect([cache.get('a', 0), cache.size]).toEqual([undefined, 0]);
  });

  it('deletes one entry, or every entry a predicate selects', () => {
    const cache = new BoundedCache<string, number>(10);
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      cache.set(key, value, Infinity);
    expect(cache.delete('a')).toBe(true);
    cache.deleteWhere((value) => value > 2);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([
      undefined,
      2,
      undefined,
    ]);
  });
});

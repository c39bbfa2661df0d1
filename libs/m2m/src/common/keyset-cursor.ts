// Cursors of the keyset-paged lists (clients, audit events): the position after which the next
// page starts, a timestamp and a key that breaks ties, as opaque URL-safe text.

/** Encodes a position as a cursor. */
export function encodeKeysetCursor(at: Date, key: string | number): string {
  return Buffer.from(JSON.stringify([at.getTime(), key])).toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeKeysetCursor}: null when it is longer than `maxLength`,
 * is not one, or its key fails `isKey`. Callers answer null as an invalid cursor (400).
 */
export function decodeKeysetCursor<K extends string | number>(
  cursor: string,
  maxLength: number,
  isKey: (key: unknown) => key is K,
): { at: Date; key: K } | null {
  if (cursor.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      isKey(value[1])
    ) {
      const at = new Date(value[0] as number);
      // Beyond ±8.64e15 ms a timestamp is no date: it would reach the query as NaN.
      return Number.isNaN(at.getTime()) ? null : { at, key: value[1] };
    }
  } catch {
    // not JSON: falls through to null
  }
  return null;
}

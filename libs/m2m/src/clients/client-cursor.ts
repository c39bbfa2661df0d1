import { hasControlCharacters } from '../common/text.js';
import type { ClientListPosition } from '../stores/client-store.js';

/** Encodes a list position as an opaque, URL-safe cursor. */
export function encodeClientCursor(position: ClientListPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.getTime(), position.clientId])).toString(
    'base64url',
  );
}

/** Decodes a cursor made by {@link encodeClientCursor}; null when it is not one. */
export function decodeClientCursor(cursor: string): ClientListPosition | null {
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      !hasControlCharacters(value[1])
    ) {
      const createdAt = new Date(value[0] as number);
      // Beyond ±8.64e15 ms a timestamp is no date: it would reach the query as NaN.
      if (Number.isNaN(createdAt.getTime())) return null;
      return { createdAt, clientId: value[1] };
    }
  } catch {
    // not JSON: falls through to null
  }
  return null;
}

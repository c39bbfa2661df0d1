import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor.js';
import { hasControlCharacters } from '../common/text.js';
import type { ClientListPosition } from '../stores/client-store.js';

/** Encodes a list position as an opaque, URL-safe cursor. */
export function encodeClientCursor(position: ClientListPosition): string {
  return encodeKeysetCursor(position.createdAt, position.clientId);
}

/** Decodes a cursor made by {@link encodeClientCursor}; null when it is not one. */
export function decodeClientCursor(cursor: string): ClientListPosition | null {
  const position = decodeKeysetCursor(
    cursor,
    200,
    (key): key is string => typeof key === 'string' && !hasControlCharacters(key),
  );
  return position === null ? null : { createdAt: position.at, clientId: position.key };
}

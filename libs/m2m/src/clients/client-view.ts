import type { M2mCallContext } from '../domain/call-context.js';
import type { StoredClient } from '../domain/client.js';
import type { M2mClientView } from './client.model.js';

/** Strips what must never leave the library: the secret hashes and the token version. */
export function toClientView(client: StoredClient): M2mClientView {
  const {
    secretHash: _hash,
    nextSecret,
    tokenVersion: _version,
    registrationTokenHash: _registration,
    ...view
  } = client;
  return {
    ...view,
    nextSecret:
      nextSecret === null
        ? null
        : {
            hint: nextSecret.hint,
            createdAt: nextSecret.createdAt,
            lastUsedAt: nextSecret.lastUsedAt,
          },
  };
}

/** The client, if the context may see it; owners never see each other's clients. */
export function visible(
  client: StoredClient | null,
  context: M2mCallContext,
): client is StoredClient {
  return client !== null && (context.ownerId === undefined || client.ownerId === context.ownerId);
}

import { InvalidClientError } from '../errors/oauth.error.js';
import type { M2mSecretHasher } from '../clients/secret-hasher.js';
import type { ClientStore } from '../persistence/client.store.js';
import type { StoredClient } from '../persistence/stored-client.js';
import { ClientAuthenticator } from './client-authenticator.service.js';
import type { TokenRequest } from './token-request.js';

const NOW = new Date('2026-11-22T12:00:00Z');

function stored(overrides: Partial<StoredClient> = {}): StoredClient {
  return {
    clientId: 'm2mc_known',
    clientName: 'known',
    description: null,
    scopes: ['reports:read'],
    metadata: null,
    status: 'active',
    secretHash: 'hash-of:right',
    secretHint: 'ight',
    expiresAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

/** A hasher that records every verification, so the tests can count the work done. */
function recordingHasher(): M2mSecretHasher & { verified: [string, string][] } {
  const verified: [string, string][] = [];
  return {
    verified,
    hash: async (secret) => `hash-of:${secret}`,
    verify: async (secret, hash) => {
      verified.push([secret, hash]);
      return hash === `hash-of:${secret}`;
    },
  };
}

function request(clientId: string, clientSecret: string, usedBasic = true): TokenRequest {
  return {
    grantType: 'client_credentials',
    scope: undefined,
    credentials: {
      clientId,
      clientSecret,
      method: usedBasic ? 'client_secret_basic' : 'client_secret_post',
    },
    usedBasic,
  };
}

async function setup(client: StoredClient | null) {
  const hasher = recordingHasher();
  const store = { findById: async (id: string) => (client?.clientId === id ? client : null) };
  const authenticator = new ClientAuthenticator(store as unknown as ClientStore, hasher);
  await authenticator.onModuleInit();
  hasher.verified.length = 0;
  return { authenticator, hasher };
}

async function failure(promise: Promise<unknown>): Promise<InvalidClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidClientError);
  return error as InvalidClientError;
}

describe('ClientAuthenticator', () => {
  it('returns the client for the right secret', async () => {
    const { authenticator } = await setup(stored());
    await expect(
      authenticator.authenticate(request('m2mc_known', 'right'), NOW),
    ).resolves.toMatchObject({
      clientId: 'm2mc_known',
    });
  });

  describe('equal work whatever the failure (constant-time client authentication)', () => {
    const cases: [string, StoredClient | null, string, string][] = [
      ['unknown client', stored(), 'm2mc_unknown', 'right'],
      ['wrong secret', stored(), 'm2mc_known', 'wrong'],
      ['disabled client', stored({ status: 'disabled' }), 'm2mc_known', 'right'],
      ['expired client', stored({ expiresAt: new Date(NOW.getTime() - 1) }), 'm2mc_known', 'right'],
    ];

    it.each(cases)(
      '%s: exactly one hash verification, then the same public error',
      async (_name, client, id, secret) => {
        const { authenticator, hasher } = await setup(client);
        const error = await failure(authenticator.authenticate(request(id, secret), NOW));
        expect(hasher.verified).toHaveLength(1);
        expect([error.error, error.status, error.description]).toEqual([
          'invalid_client',
          401,
          'Client authentication failed.',
        ]);
      },
    );

    it('verifies an unknown client against a dummy hash made with the same hasher', async () => {
      const { authenticator, hasher } = await setup(stored());
      await failure(authenticator.authenticate(request('m2mc_unknown', 'guess'), NOW));
      const [[secret, hash]] = hasher.verified as [[string, string]];
      expect(secret).toBe('guess');
      expect(hash).toMatch(/^hash-of:[A-Za-z0-9_-]{43}$/);
      expect(hash).not.toBe(stored().secretHash);
    });

    it('keeps the cause private: only the detail names it', async () => {
      const { authenticator } = await setup(stored({ status: 'disabled' }));
      const error = await failure(authenticator.authenticate(request('m2mc_known', 'right'), NOW));
      expect(error.detail).toBe('client m2mc_known: client is disabled');
      expect(error.message).toBe('Client authentication failed.');
    });
  });

  it('treats expiry at exactly now as expired', async () => {
    const { authenticator } = await setup(stored({ expiresAt: NOW }));
    await failure(authenticator.authenticate(request('m2mc_known', 'right'), NOW));
  });

  it('carries whether Basic was used, for the challenge', async () => {
    const { authenticator } = await setup(stored());
    expect(
      (await failure(authenticator.authenticate(request('m2mc_known', 'x', true), NOW))).usedBasic,
    ).toBe(true);
    expect(
      (await failure(authenticator.authenticate(request('m2mc_known', 'x', false), NOW))).usedBasic,
    ).toBe(false);
  });

  it('rejects a request without credentials (with a Basic challenge) and does no lookup', async () => {
    const { authenticator, hasher } = await setup(stored());
    const error = await failure(
      authenticator.authenticate({
        grantType: 'client_credentials',
        scope: undefined,
        credentials: null,
        usedBasic: false,
      }),
    );
    expect([error.usedBasic, error.detail, hasher.verified.length]).toEqual([
      true,
      'no client credentials',
      0,
    ]);
  });
});

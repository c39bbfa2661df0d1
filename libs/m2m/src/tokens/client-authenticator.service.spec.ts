import { generateClientSecret } from '../clients/client-secret.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';
import { InvalidClientError } from '../errors/oauth.error.js';
import type { StoredClient } from '../domain/client.js';
import { wireAuthenticator } from '../__fixtures__/authenticator.js';
import type { TokenRequest } from './token-request.js';

const NOW = new Date('2026-11-22T12:00:00Z');
const RIGHT = generateClientSecret();
const WRONG = generateClientSecret();
const NEXT = generateClientSecret();

function stored(overrides: Partial<StoredClient> = {}): StoredClient {
  return {
    clientId: 'm2mc_known',
    clientName: 'known',
    description: null,
    scopes: ['reports:read'],
    audiences: [],
    metadata: null,
    status: 'active',
    ownerId: null,
    authMethod: 'client_secret',
    jwks: null,
    jwksUri: null,
    registrationTokenHash: null,
    secretHash: `hash-of:${RIGHT}`,
    secretHint: RIGHT.slice(-4),
    secretCreatedAt: NOW,
    secretLastUsedAt: null,
    secretExpiresAt: null,
    nextSecret: null,
    tokenVersion: 0,
    expiresAt: null,
    lastUsedAt: null,
    tokenCount: 0,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

const rotating = (overrides: Partial<StoredClient> = {}) =>
  stored({
    nextSecret: { hash: `hash-of:${NEXT}`, hint: NEXT.slice(-4), createdAt: NOW, lastUsedAt: null },
    ...overrides,
  });

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
  const lookups: string[] = [];
  const store = {
    findById: async (id: string) => {
      lookups.push(id);
      return client?.clientId === id ? client : null;
    },
  };
  const wired = wireAuthenticator(store, hasher);
  await wired.authenticator.onModuleInit();
  hasher.verified.length = 0;
  return { ...wired, hasher, lookups };
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
  it('returns the client and the secret it used', async () => {
    const { authenticator } = await setup(stored());
    const result = await authenticator.authenticate(request('m2mc_known', RIGHT), NOW);
    expect([result.client.clientId, result.secret]).toEqual(['m2mc_known', 'current']);
  });

  describe('equal work whatever the failure (constant-time client authentication)', () => {
    const cases: [string, StoredClient | null, string, string][] = [
      ['unknown client', stored(), 'm2mc_unknown', RIGHT],
      ['wrong secret', stored(), 'm2mc_known', WRONG],
      ['disabled client', stored({ status: 'disabled' }), 'm2mc_known', RIGHT],
      ['expired client', stored({ expiresAt: new Date(NOW.getTime() - 1) }), 'm2mc_known', RIGHT],
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
      await failure(authenticator.authenticate(request('m2mc_unknown', WRONG), NOW));
      const [[secret, hash]] = hasher.verified as [[string, string]];
      expect(secret).toBe(WRONG);
      expect(hash).toMatch(/^hash-of:[A-Za-z0-9_-]{43}$/);
      expect(hash).not.toBe(stored().secretHash);
    });

    it('constant-time / equal work: an unknown client id is verified exactly once, against the dummy hash', async () => {
      const hasher = recordingHasher();
      const made: string[] = [];
      const hash = hasher.hash;
      hasher.hash = async (secret) => {
        const result = await hash(secret);
        made.push(result);
        return result;
      };
      const store = { findById: async () => null };
      const { authenticator } = wireAuthenticator(store, hasher);
      await authenticator.onModuleInit();
      expect(made).toHaveLength(1);
      await failure(authenticator.authenticate(request('m2mc_unknown', RIGHT), NOW));
      expect(hasher.verified).toEqual([[RIGHT, made[0]]]);
    });

    it.each([
      ['a disabled', stored({ status: 'disabled' })],
      ['an expired', stored({ expiresAt: new Date(NOW.getTime() - 1000) })],
    ])(
      'equal work: %s client still has its secret verified against its own hash',
      async (_name, client) => {
        const { authenticator, hasher } = await setup(client);
        await failure(authenticator.authenticate(request('m2mc_known', RIGHT), NOW));
        expect(hasher.verified).toEqual([[RIGHT, `hash-of:${RIGHT}`]]);
      },
    );

    it('a private_key_jwt client presented with a secret is checked against the dummy hash and fails', async () => {
      const { authenticator, hasher } = await setup(
        stored({ authMethod: 'private_key_jwt', secretHash: '' }),
      );
      const error = await failure(authenticator.authenticate(request('m2mc_known', RIGHT), NOW));
      expect(hasher.verified).toHaveLength(1);
      expect(hasher.verified[0]![1]).toMatch(/^hash-of:[A-Za-z0-9_-]{43}$/);
      expect([error.error, error.status, error.description]).toEqual([
        'invalid_client',
        401,
        'Client authentication failed.',
      ]);
    });

    it('the same public error whatever the cause, including a wrong secret for a disabled client', async () => {
      const outcomes = [];
      for (const [client, id, secret] of [
        [stored(), 'm2mc_unknown', RIGHT],
        [stored(), 'm2mc_known', WRONG],
        [stored({ status: 'disabled' }), 'm2mc_known', RIGHT],
        [stored({ status: 'disabled' }), 'm2mc_known', WRONG],
        [stored({ expiresAt: NOW }), 'm2mc_known', RIGHT],
      ] as const) {
        const { authenticator } = await setup(client);
        const error = await failure(authenticator.authenticate(request(id, secret), NOW));
        outcomes.push({
          name: error.name,
          message: error.message,
          body: [error.error, error.status, error.description, error.usedBasic],
        });
      }
      expect(new Set(outcomes.map((o) => JSON.stringify(o))).size).toBe(1);
      expect(outcomes[0]).toEqual({
        name: 'OAuthError',
        message: 'Client authentication failed.',
        body: ['invalid_client', 401, 'Client authentication failed.', true],
      });
    });

    it('the private detail never contains the presented secret', async () => {
      const { authenticator } = await setup(stored());
      const error = await failure(authenticator.authenticate(request('m2mc_known', WRONG), NOW));
      expect(error.detail).toBe('client m2mc_known: secret does not match');
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain(WRONG);
    });

    it('keeps the cause private: only the detail names it', async () => {
      const { authenticator } = await setup(stored({ status: 'disabled' }));
      const error = await failure(authenticator.authenticate(request('m2mc_known', RIGHT), NOW));
      expect(error.detail).toBe('client m2mc_known: client is disabled');
      expect(error.message).toBe('Client authentication failed.');
    });
  });

  it('rejects a mistyped secret (bad checksum) before any lookup or hashing', async () => {
    const { authenticator, hasher, lookups } = await setup(stored());
    const typo = RIGHT.slice(0, 10) + (RIGHT[10] === 'x' ? 'y' : 'x') + RIGHT.slice(11);
    const error = await failure(authenticator.authenticate(request('m2mc_known', typo), NOW));
    expect([error.detail, hasher.verified.length, lookups.length]).toEqual([
      'client m2mc_known: malformed secret (format or checksum)',
      0,
      0,
    ]);
  });

  describe('during a rotation', () => {
    it('accepts the current secret with one verification', async () => {
      const { authenticator, hasher } = await setup(rotating());
      expect((await authenticator.authenticate(request('m2mc_known', RIGHT), NOW)).secret).toBe(
        'current',
      );
      expect(hasher.verified).toHaveLength(1);
    });

    it('accepts the next secret and says so', async () => {
      const { authenticator } = await setup(rotating());
      expect((await authenticator.authenticate(request('m2mc_known', NEXT), NOW)).secret).toBe(
        'next',
      );
    });

    it('refuses the current secret once its grace period is over, but not the next one', async () => {
      const { authenticator } = await setup(rotating({ secretExpiresAt: NOW }));
      const error = await failure(authenticator.authenticate(request('m2mc_known', RIGHT), NOW));
      expect(error.detail).toBe('client m2mc_known: old secret expired after rotation');
      expect((await authenticator.authenticate(request('m2mc_known', NEXT), NOW)).secret).toBe(
        'next',
      );
    });

    it('equal work: a wrong secret for a rotating client costs no more verifications than an unknown client id', async () => {
      const unknown = await setup(rotating());
      await failure(unknown.authenticator.authenticate(request('m2mc_unknown', WRONG), NOW));
      const known = await setup(rotating());
      await failure(known.authenticator.authenticate(request('m2mc_known', WRONG), NOW));
      expect(known.hasher.verified).toHaveLength(unknown.hasher.verified.length);
    });

    it('refuses a wrong secret after one verification, against the current secret', async () => {
      const { authenticator, hasher } = await setup(rotating());
      await failure(authenticator.authenticate(request('m2mc_known', WRONG), NOW));
      expect(hasher.verified.map(([, hash]) => hash)).toEqual([`hash-of:${RIGHT}`]);
    });

    it('accepts the next secret with one verification, picked by its hint', async () => {
      const { authenticator, hasher } = await setup(rotating());
      await authenticator.authenticate(request('m2mc_known', NEXT), NOW);
      expect(hasher.verified.map(([, hash]) => hash)).toEqual([`hash-of:${NEXT}`]);
    });

    it('checks both secrets only when their hints collide', async () => {
      const { authenticator, hasher } = await setup(
        rotating({ secretHint: NEXT.slice(-4), secretHash: `hash-of:${WRONG}` }),
      );
      expect((await authenticator.authenticate(request('m2mc_known', NEXT), NOW)).secret).toBe(
        'next',
      );
      expect(hasher.verified.map(([, hash]) => hash)).toEqual([
        `hash-of:${WRONG}`,
        `hash-of:${NEXT}`,
      ]);
    });
  });

  it('treats expiry at exactly now as expired', async () => {
    const { authenticator } = await setup(stored({ expiresAt: NOW }));
    await failure(authenticator.authenticate(request('m2mc_known', RIGHT), NOW));
  });

  it('carries whether Basic was used, for the challenge', async () => {
    const { authenticator } = await setup(stored());
    expect(
      (await failure(authenticator.authenticate(request('m2mc_known', WRONG, true), NOW)))
        .usedBasic,
    ).toBe(true);
    expect(
      (await failure(authenticator.authenticate(request('m2mc_known', WRONG, false), NOW)))
        .usedBasic,
    ).toBe(false);
  });

  it('rejects a request without credentials (with a Basic challenge) and does no lookup', async () => {
    const { authenticator, hasher, lookups } = await setup(stored());
    const error = await failure(
      authenticator.authenticate({ credentials: null, usedBasic: false }),
    );
    expect([error.usedBasic, error.detail, hasher.verified.length, lookups.length]).toEqual([
      true,
      'no client credentials',
      0,
      0,
    ]);
  });
});

describe('ClientAuthenticator: verified-credential cache and failure budgets', () => {
  const from = (clientId: string, secret: string, source: string): TokenRequest => ({
    ...request(clientId, secret),
    source,
  });

  it('a warm request neither hashes nor reads the database', async () => {
    const { authenticator, hasher, lookups, metrics } = await setup(stored());
    await authenticator.authenticate(from('m2mc_known', RIGHT, '10.0.0.1'), NOW);
    const result = await authenticator.authenticate(from('m2mc_known', RIGHT, '10.0.0.2'), NOW);
    expect([result.client.clientId, result.secret]).toEqual(['m2mc_known', 'current']);
    expect([hasher.verified.length, lookups.length, metrics.credentialLookups]).toEqual([
      1,
      1,
      [false, true],
    ]);
  });

  it('a cache hit still says which secret of a rotation was used', async () => {
    const { authenticator } = await setup(rotating());
    await authenticator.authenticate(from('m2mc_known', NEXT, 'a'), NOW);
    expect((await authenticator.authenticate(from('m2mc_known', NEXT, 'a'), NOW)).secret).toBe(
      'next',
    );
  });

  it('a wrong secret for a cached client is still verified by the hasher (same work as any failure)', async () => {
    const { authenticator, hasher } = await setup(stored());
    await authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), NOW);
    await failure(authenticator.authenticate(from('m2mc_known', WRONG, 'a'), NOW));
    expect(hasher.verified).toHaveLength(2);
  });

  it('after a change of the client, the next request is verified against the database again', async () => {
    const { authenticator, hasher, lookups, feed } = await setup(stored());
    await authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), NOW);
    feed.change('m2mc_known');
    await authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), NOW);
    expect([hasher.verified.length, lookups.length]).toEqual([2, 2]);
  });

  it('refuses a cached client once it has expired, without waiting for a change', async () => {
    const expiresAt = new Date(NOW.getTime() + 60_000);
    const { authenticator } = await setup(stored({ expiresAt }));
    await authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), NOW);
    const error = await failure(
      authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), expiresAt),
    );
    expect(error.detail).toBe('client m2mc_known: client has expired');
  });

  it('refuses the cached old secret once its rotation grace ends', async () => {
    const graceEnd = new Date(NOW.getTime() + 60_000);
    const { authenticator } = await setup(rotating({ secretExpiresAt: graceEnd }));
    await authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), NOW);
    const error = await failure(
      authenticator.authenticate(from('m2mc_known', RIGHT, 'a'), graceEnd),
    );
    expect(error.detail).toBe('client m2mc_known: old secret expired after rotation');
  });

  it('once a budget is spent, refuses before any lookup or hashing, with the same public error', async () => {
    const hasher = recordingHasher();
    const lookups: string[] = [];
    const store = {
      findById: async (id: string) => (lookups.push(id), id === 'm2mc_known' ? stored() : null),
    };
    const { authenticator, metrics } = wireAuthenticator(store, hasher, {
      rateLimit: { failuresPerClient: 2, failuresPerIp: 100 },
    });
    await authenticator.onModuleInit();
    hasher.verified.length = 0;
    const wrong = await failure(authenticator.authenticate(from('m2mc_known', WRONG, 'x'), NOW));
    await failure(authenticator.authenticate(from('m2mc_known', WRONG, 'y'), NOW));
    const limited = await failure(authenticator.authenticate(from('m2mc_known', RIGHT, 'z'), NOW));
    expect([hasher.verified.length, lookups.length, metrics.limits]).toEqual([
      2,
      2,
      ['client_failures'],
    ]);
    expect([limited.error, limited.status, limited.description, limited.usedBasic]).toEqual([
      wrong.error,
      wrong.status,
      wrong.description,
      wrong.usedBasic,
    ]);
    expect([limited.detail, limited.limited]).toEqual([
      'client m2mc_known: failure budget of the client spent',
      true,
    ]);
  });

  it('never locks out a client whose secret is cached, nor one coming from a known address', async () => {
    const hasher = recordingHasher();
    const store = { findById: async (id: string) => (id === 'm2mc_known' ? stored() : null) };
    const wired = wireAuthenticator(store, hasher, {
      rateLimit: { failuresPerClient: 1, failuresPerIp: 1 },
    });
    await wired.authenticator.onModuleInit();
    await wired.authenticator.authenticate(from('m2mc_known', RIGHT, 'home'), NOW);
    await failure(wired.authenticator.authenticate(from('m2mc_known', WRONG, 'attacker'), NOW));
    // Cached: from anywhere.
    await wired.authenticator.authenticate(from('m2mc_known', RIGHT, 'elsewhere'), NOW);
    // Not cached any more, but from its known address.
    wired.feed.change('m2mc_known');
    await wired.authenticator.authenticate(from('m2mc_known', RIGHT, 'home'), NOW);
    // From a new address, the spent budget applies.
    wired.feed.change('m2mc_known');
    await failure(wired.authenticator.authenticate(from('m2mc_known', RIGHT, 'new'), NOW));
  });
});

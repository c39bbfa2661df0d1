import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { AccessTokenError } from '../errors/access-token.error.js';
import type { SigningKeysService } from '../keys/signing-keys.service.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mModuleOptions } from '../options/module-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { RevocationList } from '../revocation/revocation-list.service.js';
import type { ClientMetadataLookup } from './client-metadata-lookup.js';
import { TokenVerifier } from './token-verifier.service.js';

const ISSUER = 'https://auth.example.com';
let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
beforeAll(async () => {
  keys = await generateKeyPair('ES256');
});

function token(claims: Record<string, unknown> = {}, kid = 'k1'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { exp = now + 600, ...rest } = claims;
  return new SignJWT({ client_id: 'm2mc_a', scope: 'reports:read', token_version: 0, ...rest })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setSubject('m2mc_a')
    .setIssuedAt(now)
    .setExpirationTime(exp as number)
    .setJti(`jti-${Math.random()}`)
    .sign(keys.privateKey);
}

function verifierWith(overrides: Partial<M2mModuleOptions> = {}) {
  const usable = new Set(['k1']);
  const signatureChecks: string[] = [];
  const keyService = {
    verificationKey: async (kid: string) => {
      signatureChecks.push(kid);
      return usable.has(kid) ? keys.publicKey : undefined;
    },
    isUsable: (kid: string) => usable.has(kid),
  };
  const revocations = new RevocationList();
  const options = resolveM2mOptions({
    issuer: ISSUER,
    keyEncryptionKey: Buffer.alloc(32),
    production: false,
    ...overrides,
  });
  const metadataLookups: string[] = [];
  const clients: ClientMetadataLookup = {
    metadataOf: async (clientId) => {
      metadataLookups.push(clientId);
      return clientId === 'm2mc_a' ? { tier: 'gold' } : null;
    },
  };
  const verifier = new TokenVerifier(
    keyService as unknown as SigningKeysService,
    clients,
    revocations,
    new M2mMetrics(),
    options,
  );
  return { verifier, usable, signatureChecks, revocations, metadataLookups };
}

async function refusal(promise: Promise<unknown>): Promise<AccessTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccessTokenError);
  return error as AccessTokenError;
}

describe('TokenVerifier: the verified-token cache', () => {
  it('checks a token’s signature once, then answers from the cache', async () => {
    const { verifier, signatureChecks } = verifierWith();
    const jwt = await token();
    const first = await verifier.verify(jwt);
    const second = await verifier.verify(jwt);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ clientId: 'm2mc_a', scopes: ['reports:read'] });
    expect(signatureChecks).toEqual(['k1']);
  });

  it('hands every request its own principal: a handler changing it changes no other', async () => {
    const { verifier } = verifierWith();
    const jwt = await token();
    (await verifier.verify(jwt)).scopes.push('m2m:admin');
    expect((await verifier.verify(jwt)).scopes).toEqual(['reports:read']);
  });

  it('refuses a cached token as soon as it is revoked (by jti or by client)', async () => {
    const { verifier, revocations } = verifierWith();
    const [byJti, byClient] = [await token(), await token({ token_version: 1 })];
    const jti = (await verifier.verify(byJti)).tokenId;
    await verifier.verify(byClient);
    revocations.revokeToken(jti, Date.now() + 600_000);
    revocations.revokeClientTokens('m2mc_a', 2, Date.now() + 600_000);
    expect((await refusal(verifier.verify(byJti))).detail).toBe('revoked');
    expect((await refusal(verifier.verify(byClient))).detail).toBe('revoked');
  });

  it('refuses a cached token once its signing key is retired past expiry or gone', async () => {
    const { verifier, usable } = verifierWith();
    const jwt = await token();
    await verifier.verify(jwt);
    usable.delete('k1');
    const error = await refusal(verifier.verify(jwt));
    expect([error.code, error.detail]).toEqual([
      'invalid_token',
      'unknown kid or alg/kid mismatch',
    ]);
  });

  it('never caches a token that failed', async () => {
    const { verifier, signatureChecks } = verifierWith();
    const jwt = await token({}, 'k1');
    const tampered = jwt.slice(0, -4) + (jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    await refusal(verifier.verify(tampered));
    await refusal(verifier.verify(tampered));
    expect(signatureChecks).toEqual(['k1', 'k1']);
  });

  it('keeps a token only until it expires (plus the leeway)', async () => {
    const { verifier, signatureChecks } = verifierWith({ clockToleranceSeconds: 5 });
    const now = Math.floor(Date.now() / 1000);
    const jwt = await token({ exp: now + 2 });
    await verifier.verify(jwt);
    const clock = jest.spyOn(Date, 'now');
    try {
      clock.mockReturnValue((now + 6) * 1000);
      await verifier.verify(jwt);
      expect(signatureChecks).toEqual(['k1']);
      // Past exp + leeway the cache no longer answers: the token is checked again (and jose,
      // on the real clock here, still finds it valid, so it is cached again).
      clock.mockReturnValue((now + 7) * 1000);
      await verifier.verify(jwt);
      expect(signatureChecks).toEqual(['k1', 'k1']);
    } finally {
      clock.mockRestore();
    }
  });

  it('verifies every time when the cache is off', async () => {
    const { verifier, signatureChecks } = verifierWith({ tokenCache: false });
    const jwt = await token();
    await verifier.verify(jwt);
    await verifier.verify(jwt);
    expect(signatureChecks).toEqual(['k1', 'k1']);
  });
});

describe('TokenVerifier: principal metadata', () => {
  it('reads the client’s current metadata on every request when principalMetadata is on', async () => {
    const { verifier, metadataLookups, signatureChecks } = verifierWith({
      principalMetadata: true,
    });
    const jwt = await token();
    expect((await verifier.verify(jwt)).metadata).toEqual({ tier: 'gold' });
    expect((await verifier.verify(jwt)).metadata).toEqual({ tier: 'gold' });
    expect(metadataLookups).toEqual(['m2mc_a', 'm2mc_a']);
    expect(signatureChecks).toEqual(['k1']);
  });

  it('never looks the client up when principalMetadata is off', async () => {
    const { verifier, metadataLookups } = verifierWith();
    expect((await verifier.verify(await token())).metadata).toBeUndefined();
    expect(metadataLookups).toEqual([]);
  });
});

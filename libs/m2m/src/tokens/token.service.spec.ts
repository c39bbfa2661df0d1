import { Logger } from '@nestjs/common';
import {
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import type { AuditLog } from '../audit/audit-log.service.js';
import type { M2mAuditEventInput } from '../domain/audit-event.js';
import { generateClientSecret } from '../clients/client-secret.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';
import {
  InvalidClientError,
  InvalidRequestError,
  InvalidScopeError,
  OAuthError,
  UnsupportedGrantTypeError,
} from '../errors/oauth.error.js';
import { createJwsSigner } from '../keys/jws-signer.js';
import type { SigningKeysService } from '../keys/signing-keys.service.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import type { StoredClient } from '../domain/client.js';
import { wireAuthenticator } from '../__fixtures__/authenticator.js';
import { M2mMemoryRateLimitStorage } from '../rate-limit/memory-rate-limit.storage.js';
import { IssuanceQuota } from './issuance-quota.service.js';
import type { TokenRequest } from './token-request.js';
import { TokenService, type M2mTokenResponse } from './token.service.js';

const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'https://api.example.com';
const TTL = 900;
const KID = 'kid-test-1';
const CLIENT_ID = 'm2mc_reporter';
const SECRET = generateClientSecret();
const WRONG_SECRET = generateClientSecret();

const options = resolveM2mOptions({
  issuer: ISSUER,
  audience: AUDIENCE,
  keyEncryptionKey: Buffer.alloc(32, 7).toString('base64'),
  accessTokenTtlSeconds: TTL,
  // No failure delay: these tests look at answers, not at their timing.
  secretVerification: { failureDelayMs: 0 },
  production: false,
});

function storedClient(overrides: Partial<StoredClient> = {}): StoredClient {
  const at = new Date();
  return {
    clientId: CLIENT_ID,
    clientName: 'reporter',
    description: null,
    scopes: ['reports:read', 'reports:write'],
    audiences: [],
    metadata: null,
    status: 'active',
    ownerId: null,
    authMethod: 'client_secret',
    jwks: null,
    jwksUri: null,
    registrationTokenHash: null,
    secretHash: `hash-of:${SECRET}`,
    secretHint: SECRET.slice(-4),
    secretCreatedAt: at,
    secretLastUsedAt: null,
    secretExpiresAt: null,
    nextSecret: null,
    tokenVersion: 0,
    expiresAt: null,
    lastUsedAt: null,
    tokenCount: 0,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const hasher: M2mSecretHasher = {
  hash: async (secret) => `hash-of:${secret}`,
  verify: async (secret, hash) => hash === `hash-of:${secret}`,
};

let keyPair: { privateKey: CryptoKey; publicKey: CryptoKey };
let logged: jest.SpyInstance;
beforeAll(async () => {
  keyPair = await generateKeyPair('ES256');
});
beforeEach(() => {
  logged = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
});
afterEach(() => {
  logged.mockRestore();
});

async function setup(client: StoredClient | null = storedClient()) {
  const store = { findById: async (id: string) => (client?.clientId === id ? client : null) };
  const { authenticator } = wireAuthenticator(store, hasher);
  await authenticator.onModuleInit();
  let signings = 0;
  const keys = {
    activeKey: () => {
      signings += 1;
      return {
        kid: KID,
        alg: 'ES256' as const,
        privateKey: keyPair.privateKey,
        sign: createJwsSigner('ES256', KID, keyPair.privateKey),
      };
    },
  };
  const recorded: M2mAuditEventInput[] = [];
  const failures: { clientId: string; method: string; limited: boolean }[] = [];
  const usage: [string, string][] = [];
  const audit = {
    recordLater: (event: M2mAuditEventInput) => void recorded.push(event),
    recordFailure: (clientId: string, method: string, limited: boolean) =>
      void failures.push({ clientId, method, limited }),
    countUsage: (clientId: string, secret: string) => void usage.push([clientId, secret]),
  };
  const service = new TokenService(
    authenticator,
    keys as unknown as SigningKeysService,
    audit as unknown as AuditLog,
    new IssuanceQuota(new M2mMemoryRateLimitStorage(), options),
    options,
  );
  return { service, recorded, failures, usage, signings: () => signings };
}

function tokenRequest(overrides: Partial<TokenRequest> = {}): TokenRequest {
  return {
    grantType: 'client_credentials',
    scope: undefined,
    credentials: { clientId: CLIENT_ID, clientSecret: SECRET, method: 'client_secret_basic' },
    usedBasic: true,
    ...overrides,
  };
}

const wrongSecret = {
  credentials: {
    clientId: CLIENT_ID,
    clientSecret: WRONG_SECRET,
    method: 'client_secret_basic' as const,
  },
};

async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

const publicView = (error: OAuthError) => ({
  class: error.constructor.name,
  error: error.error,
  status: error.status,
  description: error.description,
});

async function issue(request: Partial<TokenRequest> = {}, client = storedClient()) {
  const { service } = await setup(client);
  const response = await service.exchange(tokenRequest(request));
  return { response, claims: decodeJwt(response.access_token) };
}

describe('TokenService (RFC 6749 §4.4, RFC 9068)', () => {
  describe('grant_type (RFC 6749 §4.4.2)', () => {
    it('a missing grant_type is invalid_request', async () => {
      const { service } = await setup();
      const error = await rejection(service.exchange(tokenRequest({ grantType: undefined })));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(publicView(error)).toEqual({
        class: 'InvalidRequestError',
        error: 'invalid_request',
        status: 400,
        description: 'The grant_type parameter is required.',
      });
    });

    it.each(['password', 'authorization_code', 'refresh_token', 'CLIENT_CREDENTIALS'])(
      'grant_type %s is unsupported_grant_type',
      async (grantType) => {
        const { service } = await setup();
        const error = await rejection(service.exchange(tokenRequest({ grantType })));
        expect(error).toBeInstanceOf(UnsupportedGrantTypeError);
        expect(publicView(error)).toEqual({
          class: 'UnsupportedGrantTypeError',
          error: 'unsupported_grant_type',
          status: 400,
          description: 'Only the client_credentials grant type is supported.',
        });
      },
    );
  });

  describe('an unauthenticated caller learns nothing else (client authentication comes first)', () => {
    it.each([
      ['an unsupported grant_type', { grantType: 'password' }],
      ['a missing grant_type', { grantType: undefined }],
      ['a scope the client may not have', { scope: 'admin:everything' }],
      ['a malformed scope', { scope: 'a"b' }],
    ])('a wrong secret with %s gets invalid_client', async (_name, request) => {
      const { service, signings } = await setup();
      const error = await rejection(service.exchange(tokenRequest({ ...request, ...wrongSecret })));
      expect(error).toBeInstanceOf(InvalidClientError);
      expect(publicView(error)).toEqual({
        class: 'InvalidClientError',
        error: 'invalid_client',
        status: 401,
        description: 'Client authentication failed.',
      });
      expect(signings()).toBe(0);
    });

    it('an unknown client with an unsupported grant_type gets invalid_client', async () => {
      const { service } = await setup(null);
      const error = await rejection(service.exchange(tokenRequest({ grantType: 'password' })));
      expect([error.error, error.status]).toEqual(['invalid_client', 401]);
    });

    it('records the failed attempt without the presented secret', async () => {
      const { service, recorded, failures } = await setup();
      await rejection(service.exchange(tokenRequest(wrongSecret)));
      expect(failures).toEqual([
        { clientId: CLIENT_ID, method: 'client_secret_basic', limited: false },
      ]);
      expect(recorded).toEqual([]);
      expect(JSON.stringify(failures)).not.toContain(WRONG_SECRET);
    });

    it('records a secret-shaped client id (swapped credentials) as redacted', async () => {
      const { service, failures } = await setup();
      const swapped = {
        credentials: {
          clientId: SECRET,
          clientSecret: generateClientSecret(),
          method: 'client_secret_basic' as const,
        },
      };
      await rejection(service.exchange(tokenRequest(swapped)));
      expect(failures.map((f) => f.clientId)).toEqual(['[secret-shaped value]']);
    });
  });

  describe('scope (RFC 6749 §3.3)', () => {
    it('scope omitted: every scope the client is allowed', async () => {
      const { response, claims } = await issue({ scope: undefined });
      expect(response.scope).toBe('reports:read reports:write');
      expect(claims['scope']).toBe('reports:read reports:write');
    });

    it('a subset: exactly the requested scopes', async () => {
      const { response, claims } = await issue({ scope: 'reports:write' });
      expect(response.scope).toBe('reports:write');
      expect(claims['scope']).toBe('reports:write');
    });

    it('tolerates extra spaces and repeated scopes', async () => {
      const { response, claims } = await issue({
        scope: '  reports:write   reports:read reports:write ',
      });
      expect(response.scope).toBe('reports:write reports:read');
      expect(claims['scope']).toBe('reports:write reports:read');
    });

    it.each([
      ['a scope the client is not allowed', 'admin:everything'],
      ['one allowed and one not (fail closed, never silently narrowed)', 'reports:read m2m:admin'],
      ['a scope differing only in case', 'Reports:Read'],
    ])('%s is invalid_scope, and no token is signed', async (_name, scope) => {
      const { service, signings, recorded } = await setup();
      const error = await rejection(service.exchange(tokenRequest({ scope })));
      expect(error).toBeInstanceOf(InvalidScopeError);
      expect(publicView(error)).toEqual({
        class: 'InvalidScopeError',
        error: 'invalid_scope',
        status: 400,
        description:
          'The requested scope is invalid, unknown, or exceeds what the client is allowed.',
      });
      expect(signings()).toBe(0);
      expect(recorded).toEqual([]);
    });

    it('a malformed scope token is invalid_scope', async () => {
      const { service } = await setup();
      const error = await rejection(service.exchange(tokenRequest({ scope: 'reports:read a"b' })));
      expect(publicView(error)).toEqual({
        class: 'InvalidScopeError',
        error: 'invalid_scope',
        status: 400,
        description: 'The scope parameter is malformed.',
      });
    });

    it('a client without scopes gets a token with no scope claim and no scope member', async () => {
      const { response, claims } = await issue({}, storedClient({ scopes: [] }));
      expect(Object.keys(response).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
      expect('scope' in claims).toBe(false);
    });
  });

  describe('the response (RFC 6749 §5.1)', () => {
    it('is exactly access_token, token_type Bearer, expires_in and scope', async () => {
      const { response } = await issue();
      expect(response).toEqual<M2mTokenResponse>({
        access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as unknown as string,
        token_type: 'Bearer',
        expires_in: TTL,
        scope: 'reports:read reports:write',
      });
    });

    it('never carries a refresh_token', async () => {
      const { response } = await issue();
      expect(Object.keys(response).sort()).toEqual([
        'access_token',
        'expires_in',
        'scope',
        'token_type',
      ]);
      expect('refresh_token' in response).toBe(false);
    });

    it('never contains the client secret (response or token)', async () => {
      const { response, claims } = await issue();
      expect(JSON.stringify(response)).not.toContain(SECRET);
      expect(JSON.stringify(claims)).not.toContain(SECRET);
      expect(JSON.stringify(claims)).not.toContain(SECRET.slice(5, 48));
    });
  });

  describe('the access token (RFC 9068)', () => {
    it('header: alg of the active key, typ at+jwt, kid', async () => {
      const { response } = await issue();
      expect(decodeProtectedHeader(response.access_token)).toEqual({
        alg: 'ES256',
        typ: 'at+jwt',
        kid: KID,
      });
    });

    it('claims: iss, sub = client_id, aud, client_id, iat, exp = iat + ttl, jti, scope', async () => {
      const before = Math.floor(Date.now() / 1000);
      const { claims } = await issue();
      const after = Math.floor(Date.now() / 1000);
      expect(claims).toEqual<JWTPayload>({
        iss: ISSUER,
        sub: CLIENT_ID,
        aud: AUDIENCE,
        client_id: CLIENT_ID,
        iat: expect.any(Number) as unknown as number,
        exp: expect.any(Number) as unknown as number,
        jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) as unknown as string,
        scope: 'reports:read reports:write',
        token_version: 0,
      });
      expect(claims.iat).toBeGreaterThanOrEqual(before);
      expect(claims.iat).toBeLessThanOrEqual(after);
      expect(claims.exp! - claims.iat!).toBe(TTL);
    });

    it('expires_in matches exp - iat', async () => {
      const { response, claims } = await issue();
      expect(response.expires_in).toBe(claims.exp! - claims.iat!);
    });

    it('verifies with the public key, pinned to ES256, at+jwt, the issuer and the audience', async () => {
      const { response } = await issue();
      const { payload, protectedHeader } = await jwtVerify(
        response.access_token,
        keyPair.publicKey,
        { algorithms: ['ES256'], typ: 'at+jwt', issuer: ISSUER, audience: AUDIENCE },
      );
      expect([payload.sub, protectedHeader.kid]).toEqual([CLIENT_ID, KID]);
    });

    it('does not verify with another key', async () => {
      const { response } = await issue();
      const other = await generateKeyPair('ES256');
      await expect(jwtVerify(response.access_token, other.publicKey)).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });

    it('jti is unique across tokens', async () => {
      const { service } = await setup();
      const first = decodeJwt((await service.exchange(tokenRequest())).access_token);
      const second = decodeJwt((await service.exchange(tokenRequest())).access_token);
      expect(first.jti).not.toBe(second.jti);
    });

    it('never outlives the client: exp is capped at the client expiry', async () => {
      const expiresAt = new Date(Date.now() + 120_500);
      const { response, claims } = await issue({}, storedClient({ expiresAt }));
      const clientEnd = Math.floor(expiresAt.getTime() / 1000);
      expect(claims.exp).toBe(clientEnd);
      expect(claims.exp! * 1000).toBeLessThanOrEqual(expiresAt.getTime());
      expect(response.expires_in).toBe(clientEnd - claims.iat!);
      expect(response.expires_in).toBeLessThan(TTL);
      expect(response.expires_in).toBeGreaterThanOrEqual(119);
    });

    it('a client expiring after the ttl gets the full ttl', async () => {
      const expiresAt = new Date(Date.now() + (TTL + 600) * 1000);
      const { response, claims } = await issue({}, storedClient({ expiresAt }));
      expect([response.expires_in, claims.exp! - claims.iat!]).toEqual([TTL, TTL]);
    });
  });

  it('counts the usage and audits the issuance without the secret', async () => {
    const { service, recorded, usage } = await setup();
    const response = await service.exchange(tokenRequest({ scope: 'reports:read' }));
    const { jti } = decodeJwt(response.access_token);
    expect(usage).toEqual([[CLIENT_ID, 'current']]);
    expect(recorded).toEqual([
      {
        type: 'token.issued',
        clientId: CLIENT_ID,
        ownerId: null,
        actor: { type: 'client', id: CLIENT_ID },
        details: { scope: 'reports:read', jti, secret: 'current' },
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain(SECRET);
    expect(JSON.stringify(recorded)).not.toContain(response.access_token);
  });

  it('writes no log line per token (the audit log records issuance), so nothing secret either', async () => {
    const levels = (['log', 'warn', 'error', 'verbose'] as const).map((level) =>
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined),
    );
    try {
      const { service } = await setup();
      await service.exchange(tokenRequest({ scope: 'reports:read' }));
      expect([logged, ...levels].map((spy) => spy.mock.calls)).toEqual([[], [], [], [], []]);
    } finally {
      levels.forEach((spy) => spy.mockRestore());
    }
  });
});

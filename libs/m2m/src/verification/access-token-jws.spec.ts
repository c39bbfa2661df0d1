import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JSONWebKeySet,
} from 'jose';
import type { M2mPrincipal } from '../domain/principal.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import type { SigningKeysService } from '../keys/signing-keys.service.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { RevocationList } from '../revocation/revocation-list.service.js';
import { TokenVerifier } from './token-verifier.service.js';
import { RemoteTokenVerifier } from './remote-token-verifier.service.js';
import { createAccessTokenVerifier } from './verify-access-token.js';

const ISSUER = 'https://auth.example.com';
const KID = 'k1';

let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
let jwks: JSONWebKeySet;
beforeAll(async () => {
  keys = await generateKeyPair('ES256', { extractable: true });
  jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: KID, alg: 'ES256', use: 'sig' }] };
});

interface TokenShape {
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** Claims to leave out. */
  without?: string[];
}

/** A token as this server issues it, changed as `shape` says, signed with the ES256 key. */
function token({ header = {}, claims = {}, without = [] }: TokenShape = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: ISSUER,
    sub: 'm2mc_a',
    client_id: 'm2mc_a',
    scope: 'reports:read',
    iat: now,
    exp: now + 600,
    jti: 'jti-1',
    token_version: 0,
    ...claims,
  };
  for (const name of without) delete payload[name];
  const protectedHeader = { alg: 'ES256', typ: 'at+jwt', kid: KID, ...header };
  return new SignJWT(payload)
    .setProtectedHeader(protectedHeader as { alg: string })
    .sign(keys.privateKey);
}

/** The three ways this module verifies a token, each given the same issuer, audience and key. */
function verifiers(): Record<string, (jwt: string) => Promise<M2mPrincipal>> {
  const signingKeys = {
    verificationKey: async (kid: string, alg: string) =>
      kid === KID && alg === 'ES256' ? keys.publicKey : undefined,
    isUsable: (kid: string) => kid === KID,
  } as unknown as SigningKeysService;
  const local = new TokenVerifier(
    signingKeys,
    { metadataOf: async () => null },
    new RevocationList(),
    new M2mMetrics(),
    resolveM2mOptions({ issuer: ISSUER, keyEncryptionKey: Buffer.alloc(32), production: false }),
  );
  const remote = new RemoteTokenVerifier({ issuer: ISSUER, audience: ISSUER, jwks });
  const standalone = createAccessTokenVerifier({ issuer: ISSUER, audience: ISSUER, jwks });
  return {
    'TokenVerifier (local keys)': (jwt) => local.verify(jwt),
    'RemoteTokenVerifier (JWKS)': (jwt) => remote.verify(jwt),
    createAccessTokenVerifier: (jwt) => standalone(jwt),
  };
}

/** How each verifier answers `jwt`: the principal's client, or the refusal's code and detail. */
async function answers(jwt: string): Promise<Record<string, string>> {
  const outcome: Record<string, string> = {};
  for (const [name, verify] of Object.entries(verifiers())) {
    outcome[name] = await verify(jwt).then(
      (principal) => `accepted ${principal.clientId}`,
      (error: unknown) =>
        error instanceof AccessTokenError
          ? `${error.code}: ${error.detail}`
          : `not an AccessTokenError: ${String(error)}`,
    );
  }
  return outcome;
}

function everyVerifier(answer: string): Record<string, string> {
  return Object.fromEntries(Object.keys(verifiers()).map((name) => [name, answer]));
}

describe('one set of access-token rules for every verifier', () => {
  it('a token as this server issues it is accepted by all three, with the same principal', async () => {
    const jwt = await token();
    expect(await answers(jwt)).toEqual(everyVerifier('accepted m2mc_a'));
    const principals = await Promise.all(Object.values(verifiers()).map((verify) => verify(jwt)));
    expect(principals[1]).toEqual(principals[0]);
    expect(principals[2]).toEqual(principals[0]);
  });

  const claimFailure = 'invalid_token: ERR_JWT_CLAIM_VALIDATION_FAILED';
  const refusals: [string, () => Promise<string>, string][] = [
    [
      'typ JWT instead of at+jwt (RFC 9068 §4)',
      () => token({ header: { typ: 'JWT' } }),
      claimFailure,
    ],
    [
      'HS256 keyed with the public key (algorithm confusion)',
      async () => {
        const secret = new TextEncoder().encode(await exportSPKI(keys.publicKey));
        const [header, payload] = (await token()).split('.');
        const forged = await new SignJWT(JSON.parse(Buffer.from(payload!, 'base64url').toString()))
          .setProtectedHeader({
            ...JSON.parse(Buffer.from(header!, 'base64url').toString()),
            alg: 'HS256',
          })
          .sign(secret);
        return forged;
      },
      'invalid_token: ERR_JOSE_ALG_NOT_ALLOWED',
    ],
    [
      'alg none',
      async () =>
        new UnsecuredJWT({ sub: 'm2mc_a', client_id: 'm2mc_a', jti: 'j' })
          .setIssuer(ISSUER)
          .setAudience(ISSUER)
          .setIssuedAt()
          .setExpirationTime('10m')
          .encode(),
      'invalid_token: not a compact JWS',
    ],
    ['another issuer', () => token({ claims: { iss: 'https://evil.example.com' } }), claimFailure],
    [
      'another audience',
      () => token({ claims: { aud: 'https://other.example.com' } }),
      claimFailure,
    ],
    ['no jti (RFC 9068 §2.2)', () => token({ without: ['jti'] }), claimFailure],
    [
      'expired beyond the leeway',
      () => token({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } }),
      'invalid_token: ERR_JWT_EXPIRED',
    ],
    [
      'sub that is not the client_id',
      () => token({ claims: { sub: 'm2mc_b' } }),
      'invalid_token: required claims missing or mistyped',
    ],
    [
      'a valid token with base64 padding on its signature (RFC 7515 §7.1)',
      async () => `${await token()}=`,
      'invalid_token: not a compact JWS',
    ],
    [
      'a valid token with base64 padding on its payload',
      async () => {
        const [header, payload, signature] = (await token()).split('.');
        return `${header}.${payload}==.${signature}`;
      },
      'invalid_token: not a compact JWS',
    ],
  ];

  it.each(refusals)('%s: refused identically by all three', async (_name, make, expected) => {
    expect(await answers(await make())).toEqual(everyVerifier(expected));
  });

  it('the padded tokens above differ from a valid one only by the padding', async () => {
    const jwt = await token();
    expect(Buffer.from(`${jwt.split('.')[2]}=`, 'base64url')).toEqual(
      Buffer.from(jwt.split('.')[2]!, 'base64url'),
    );
  });
});

import { importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { M2mConfigurationError } from '../errors/m2m-client.error.js';
import type { ClientCredentials } from '../options/resolve-options.js';
import type { IssuerEndpoints } from '../discovery/issuer-metadata.js';

/** What client authentication adds to a token request. */
export interface AuthenticatedRequest {
  headers: Record<string, string>;
  params: Record<string, string>;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Assertions are single-use and short-lived; a minute covers any clock skew worth allowing. */
const ASSERTION_LIFETIME_SECONDS = 60;

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function basicHeader(clientId: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${formEncode(clientId)}:${formEncode(secret)}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** The JWS algorithm a WebCrypto key implies. */
function algorithmOf(key: CryptoKey): string | undefined {
  const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  switch (algorithm.name) {
    case 'ECDSA':
      return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[algorithm.namedCurve ?? ''];
    case 'Ed25519':
      return 'EdDSA';
    case 'RSASSA-PKCS1-v1_5':
      return `RS${algorithm.hash?.name.replace('SHA-', '') ?? '256'}`;
    case 'RSA-PSS':
      return `PS${algorithm.hash?.name.replace('SHA-', '') ?? '256'}`;
    default:
      return undefined;
  }
}

/** The JWS algorithm an EC or OKP JWK implies; RSA keys serve two families, so they must say. */
function algorithmOfJwk(key: JWK): string | undefined {
  if (key.alg !== undefined) return key.alg;
  if (key.kty === 'EC')
    return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[key.crv ?? ''];
  if (key.kty === 'OKP' && key.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}

function isJwk(key: CryptoKey | JWK): key is JWK {
  return typeof (key as JWK).kty === 'string';
}

/** The signing key of `private_key_jwt`, with its algorithm and key id, ready to sign. */
interface AssertionSigner {
  key: CryptoKey | Uint8Array;
  alg: string;
  kid: string | undefined;
}

type KeyCredentials = Extract<ClientCredentials, { method: 'private_key_jwt' }>;

/** Imports the key; the message says what is missing. */
async function prepareSigner(credentials: KeyCredentials): Promise<AssertionSigner> {
  const given = credentials.key;
  const alg = credentials.alg ?? (isJwk(given) ? algorithmOfJwk(given) : algorithmOf(given));
  if (alg === undefined) {
    throw new M2mConfigurationError(
      'Cannot tell the JWS algorithm of privateKey: give options.alg (e.g. ES256).',
    );
  }
  if (isJwk(given) && typeof given.d !== 'string') {
    throw new M2mConfigurationError('privateKey is a public JWK: give the private key.');
  }
  const key = isJwk(given) ? await importJWK(given, alg) : given;
  return { key, alg, kid: credentials.kid ?? (isJwk(given) ? given.kid : undefined) };
}

/** Each client's key is imported once, on its first token request. */
const signers = new WeakMap<KeyCredentials, Promise<AssertionSigner>>();

function signerFor(credentials: KeyCredentials): Promise<AssertionSigner> {
  let signer = signers.get(credentials);
  if (signer === undefined) {
    signer = prepareSigner(credentials);
    signers.set(credentials, signer);
  }
  return signer;
}

/** A signed client assertion (RFC 7523 §3): iss = sub = client_id, one use (`jti`). */
async function clientAssertion(
  clientId: string,
  audience: string,
  signer: AssertionSigner,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader(
      signer.kid === undefined ? { alg: signer.alg } : { alg: signer.alg, kid: signer.kid },
    )
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(signer.key);
}

/** The headers and parameters that authenticate one token request. */
export async function authenticate(
  credentials: ClientCredentials,
  endpoints: IssuerEndpoints,
): Promise<AuthenticatedRequest> {
  switch (credentials.method) {
    case 'client_secret_basic':
      return {
        headers: { authorization: basicHeader(credentials.clientId, credentials.secret) },
        params: {},
      };
    case 'client_secret_post':
      return {
        headers: {},
        params: { client_id: credentials.clientId, client_secret: credentials.secret },
      };
    case 'private_key_jwt': {
      const audience = credentials.audience ?? endpoints.issuer ?? endpoints.tokenEndpoint;
      return {
        headers: {},
        params: {
          client_id: credentials.clientId,
          client_assertion_type: JWT_BEARER,
          client_assertion: await clientAssertion(
            credentials.clientId,
            audience,
            await signerFor(credentials),
          ),
        },
      };
    }
  }
}

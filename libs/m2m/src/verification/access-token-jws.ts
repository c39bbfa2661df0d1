import {
  errors as joseErrors,
  jwtVerify,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AccessTokenError } from '../errors/access-token.error.js';
import {
  ACCESS_TOKEN_ALGORITHMS,
  readAccessTokenClaims,
  type AccessTokenClaims,
} from './access-token-claims.js';

/** RFC 9068 §2.1: the `typ` header of a JWT access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** RFC 9068 §2.2 claims whose absence refuses a token before its claims are read. */
const REQUIRED_CLAIMS = ['exp', 'iat', 'jti', 'sub'];

/**
 * RFC 7515 §7.1: three base64url parts without padding. Decoders forgive `=` padding, which would
 * make `token==` verify as `token`: a different string is a different token.
 */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Finds the public key for a token's header: the server's own keys or a (remote) JWKS. */
export type AccessTokenKeyResolver = JWTVerifyGetKey;

/** What a verifier pins: who issued the token, for whom, and how much clock skew it forgives. */
export interface AccessTokenPins {
  /** The expected `iss`, exactly. */
  issuer: string;
  /** The accepted `aud`: one audience, or any of several. */
  audience: string | string[];
  /** Leeway for `exp` and `nbf`, in seconds. */
  clockToleranceSeconds: number;
}

/** A token that passed {@link verifyAccessTokenJws}: its claims, read and raw, and its header. */
export interface VerifiedAccessToken extends AccessTokenClaims {
  payload: JWTPayload;
  header: JWTHeaderParameters;
}

function invalid(detail: string): AccessTokenError {
  return new AccessTokenError('invalid_token', detail);
}

/**
 * The checks every verifier of this module's access tokens makes, in one place: compact JWS
 * syntax, a signature by an allow-listed asymmetric algorithm (never `none`, never HMAC), `typ`
 * at+jwt (RFC 9068 §4), the pinned `iss` and `aud`, `exp` and `nbf` with the leeway, then the
 * RFC 9068 §2.2 claims. Throws `AccessTokenError` (`invalid_token`); its `detail` says why.
 * Revocation and scopes are the caller's to check.
 */
export async function verifyAccessTokenJws(
  token: string,
  keys: AccessTokenKeyResolver,
  pins: AccessTokenPins,
): Promise<VerifiedAccessToken> {
  if (!COMPACT_JWS.test(token)) throw invalid('not a compact JWS');
  let result;
  try {
    result = await jwtVerify(token, keys, {
      algorithms: ACCESS_TOKEN_ALGORITHMS,
      typ: ACCESS_TOKEN_TYPE,
      issuer: pins.issuer,
      audience: pins.audience,
      clockTolerance: pins.clockToleranceSeconds,
      requiredClaims: REQUIRED_CLAIMS,
    });
  } catch (error) {
    // A key resolver refuses with its own reason; jose errors are named by their code.
    if (error instanceof AccessTokenError) throw error;
    throw invalid(error instanceof joseErrors.JOSEError ? error.code : 'unexpected error');
  }
  return {
    ...readAccessTokenClaims(result.payload),
    payload: result.payload,
    header: result.protectedHeader,
  };
}

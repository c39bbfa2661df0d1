import { SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { randomBytes } from 'node:crypto';
import { SigningKeysService } from 'nestjs-m2m';
import type { TestServer } from './server.js';

/** Claims of a well-formed token for `clientId`, which a test then spoils one at a time. */
export function validClaims(
  server: TestServer,
  clientId: string,
  scope = 'reports:read',
): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: server.url,
    sub: clientId,
    aud: server.url,
    client_id: clientId,
    iat: now,
    exp: now + 300,
    jti: randomBytes(8).toString('hex'),
    scope,
  };
}

/**
 * Signs arbitrary claims and header with the server's own active key (or `key`), to build
 * tokens the token endpoint would never issue: expired, wrong audience, wrong typ, …
 */
export async function signToken(
  server: TestServer,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
  key?: CryptoKey,
): Promise<string> {
  const active = server.app.get(SigningKeysService).activeKey();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: active.alg, typ: 'at+jwt', kid: active.kid, ...header })
    .sign(key ?? active.privateKey);
}

/** An unsecured JWT (`alg: none`, RFC 7519 §6). */
export function unsecuredToken(claims: JWTPayload, header: Record<string, unknown> = {}): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'at+jwt', ...header })}.${part(claims)}.`;
}

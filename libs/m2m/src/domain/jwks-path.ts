/**
 * Where this server publishes its signing keys, relative to the issuer: its RFC 8414 `jwks_uri`
 * is `${issuer}/${JWKS_PATH}`. The JWKS route and every verifier that fetches it use this one
 * constant.
 */
export const JWKS_PATH = '.well-known/jwks.json';

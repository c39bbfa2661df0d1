/**
 * Where an issuer's metadata is published. RFC 8414 §3.1: the well-known suffix goes between
 * the host and the issuer's path. OpenID Connect Discovery 1.0 §4: it is appended to the issuer.
 */
export function metadataUrls(issuer: string): string[] {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
}

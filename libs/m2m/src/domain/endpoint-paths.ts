// Where the authorization server's endpoints live, relative to the issuer. The routes, the RFC
// 8414 metadata, the client assertion audience (RFC 7523 §3) and the registration client URI
// (RFC 7592 §3) are all built from these. The JWKS path sits in jwks-path.ts.

/** Path of the token endpoint (RFC 6749 §3.2). */
export const TOKEN_PATH = 'oauth2/token';

/** Path of the introspection endpoint (RFC 7662). */
export const INTROSPECTION_PATH = 'oauth2/introspect';

/** Path of the revocation endpoint (RFC 7009). */
export const REVOCATION_PATH = 'oauth2/revoke';

/** Path of the registration endpoint (RFC 7591). */
export const REGISTRATION_PATH = 'oauth2/register';

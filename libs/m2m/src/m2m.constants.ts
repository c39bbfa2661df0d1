/** Scope that grants access to the admin API (`/m2m/clients`). */
export const M2M_ADMIN_SCOPE = 'm2m:admin';

/** Scope that allows a client to call the introspection endpoint (RFC 7662). */
export const M2M_INTROSPECT_SCOPE = 'm2m:introspect';

/** Name of the OpenAPI security scheme the library's decorators refer to. */
export const M2M_SECURITY_SCHEME = 'm2m';

/** Injection token of the {@link M2mSecretHasher} extension point. */
export const M2M_SECRET_HASHER = Symbol('M2M_SECRET_HASHER');

/** Injection token of the guard that protects the admin API. */
export const M2M_ADMIN_GUARD = Symbol('M2M_ADMIN_GUARD');

/** Injection token of the rate-limit storage used by the token endpoint. */
export const M2M_RATE_LIMIT_STORAGE = Symbol('M2M_RATE_LIMIT_STORAGE');

/** Injection token of the host guard in front of the owner API. */
export const M2M_OWNER_GUARD = Symbol('M2M_OWNER_GUARD');

/**
 * Request property in which the owner API's guard puts the caller's owner id (the host's user,
 * organisation or tenant id). Without it the owner API denies the request.
 */
export const M2M_OWNER_REQUEST_PROPERTY = 'm2mOwnerId';

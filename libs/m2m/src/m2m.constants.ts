/** Scope that grants access to the admin API (`/m2m/clients`). */
export const M2M_ADMIN_SCOPE = 'm2m:admin';

/** Name of the OpenAPI security scheme the library's decorators refer to. */
export const M2M_SECURITY_SCHEME = 'm2m';

/** Injection token of the {@link M2mSecretHasher} extension point. */
export const M2M_SECRET_HASHER = Symbol('M2M_SECRET_HASHER');

/** Injection token of the guard that protects the admin API. */
export const M2M_ADMIN_GUARD = Symbol('M2M_ADMIN_GUARD');

/** Injection token of the rate-limit storage used by the token endpoint. */
export const M2M_RATE_LIMIT_STORAGE = Symbol('M2M_RATE_LIMIT_STORAGE');

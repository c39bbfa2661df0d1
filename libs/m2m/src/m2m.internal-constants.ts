/** Metadata key under which `@RequireScopes()` stores the scopes it requires. */
export const REQUIRED_SCOPES_METADATA = 'm2m:required-scopes';

/** Injection token of the validated options with every default filled in. */
export const M2M_RESOLVED_OPTIONS = Symbol('M2M_RESOLVED_OPTIONS');

/** Request property that carries the authenticated principal. */
export const PRINCIPAL_REQUEST_PROPERTY = 'm2mClient';

/** Injection token of the owner API's build-time options. */
export const M2M_OWNER_API_OPTIONS = Symbol('M2M_OWNER_API_OPTIONS');

/** Injection token of the guard's options (`{ realm }`), in both module modes. */
export const M2M_GUARD_OPTIONS = Symbol('M2M_GUARD_OPTIONS');

/** Injection token of the access-token verifier the bearer strategy uses. */
export const M2M_ACCESS_TOKEN_VERIFIER = Symbol('M2M_ACCESS_TOKEN_VERIFIER');

/** Injection token of the console's files, read once at start-up. */
export const M2M_CONSOLE_ASSETS = Symbol('M2M_CONSOLE_ASSETS');

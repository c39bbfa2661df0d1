/** Defaults shared by the authorization server, resource-server mode and the verifiers. */

/** `realm` of the `WWW-Authenticate` challenges. */
export const DEFAULT_REALM = 'm2m';

/** Leeway for `exp`, `nbf` and `iat`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;

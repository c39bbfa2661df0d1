/** The injection token of the client's options. */
export const M2M_TOKEN_CLIENT_OPTIONS = Symbol('M2M_TOKEN_CLIENT_OPTIONS');

/**
 * The injection token of a `fetch` that attaches the client's token (`M2mTokenClient.fetch`).
 * @example constructor(@InjectM2mFetch() private readonly fetch: M2mAuthorizedFetch) {}
 */
export const M2M_FETCH = Symbol('M2M_FETCH');

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** Longest scope token the registry accepts. */
export const MAX_SCOPE_LENGTH = 128;

/** Whether `value` is a syntactically valid scope token of acceptable length. */
export function isScopeToken(value: string): boolean {
  return value.length <= MAX_SCOPE_LENGTH && SCOPE_TOKEN.test(value);
}

/**
 * Splits a `scope` parameter into its tokens. Runs of spaces and leading or trailing spaces are
 * tolerated; duplicates are dropped, order is kept.
 */
export function splitScopeParameter(value: string): string[] {
  return [...new Set(value.split(' ').filter((token) => token !== ''))];
}

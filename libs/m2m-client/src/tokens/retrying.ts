import { M2mNetworkError, M2mOAuthError, M2mResponseError } from '../errors/m2m-client.error.js';
import { backoffDelay, sleep, type BackoffPolicy } from './backoff.js';

/**
 * Errors that the same request can never get past: the credentials, the scopes or the resource
 * are wrong, and asking again only adds load (and failure-budget hits) at the server.
 */
const NEVER_RETRIED = new Set(['invalid_client', 'invalid_scope', 'invalid_target']);

/** Whether the same request may succeed later: no answer, a 5xx or a 429. */
export function isTransient(error: unknown): boolean {
  if (error instanceof M2mNetworkError) return true;
  if (error instanceof M2mOAuthError && NEVER_RETRIED.has(error.error)) return false;
  if (error instanceof M2mOAuthError || error instanceof M2mResponseError) {
    return error.status >= 500 || error.status === 429;
  }
  return false;
}

function retryAfterOf(error: unknown): number | undefined {
  return error instanceof M2mOAuthError || error instanceof M2mResponseError
    ? error.retryAfterMs
    : undefined;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out, waiting with
 * jittered exponential backoff (at least the server's `Retry-After`) in between. A
 * `Retry-After` beyond the longest wait allowed ends the retries at once.
 */
export async function withRetries<T>(policy: BackoffPolicy, attempt: () => Promise<T>): Promise<T> {
  for (let number = 1; ; number += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (number >= policy.maxAttempts || !isTransient(error)) throw error;
      const retryAfterMs = retryAfterOf(error);
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) throw error;
      await sleep(backoffDelay(policy, number, retryAfterMs));
    }
  }
}

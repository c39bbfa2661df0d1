import { M2mNetworkError, M2mResponseError } from '../errors/m2m-client.error.js';
import type { M2mFetch } from '../options/token-client.options.js';

/** Sends one request; a failure to get any answer becomes an M2mNetworkError. */
export async function send(
  fetchFn: M2mFetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  try {
    return await fetchFn(url, {
      ...init,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new M2mNetworkError(
      timedOut ? `${url} did not answer within ${timeoutMs} ms` : `${url} could not be reached`,
      { cause: error },
    );
  }
}

/** The answer's JSON object, or undefined when the body is not one. */
export async function jsonObject(response: Response): Promise<Record<string, unknown> | undefined> {
  let body: unknown;
  try {
    body = JSON.parse(await response.text());
  } catch {
    return undefined;
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)
    : undefined;
}

/** An answer that is not the JSON object the protocol wants. */
export function unexpected(url: string, response: Response, what: string): M2mResponseError {
  return new M2mResponseError(
    `${url} answered ${response.status} without ${what}`,
    response.status,
  );
}

import type { M2mFetch } from '../options/token-client.options.js';

/** What a fake server sees of one request. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  rawBody: unknown;
}

export type FakeHandler = (request: SeenRequest) => Response | Promise<Response>;

/** A fetch answered by `handler`, recording every request. */
export function fakeFetch(handler: FakeHandler): { fetch: M2mFetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetchFn: M2mFetch = async (input, init) => {
    const request: SeenRequest = {
      url: input instanceof Request ? input.url : String(input),
      method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
      rawBody: init?.body,
    };
    seen.push(request);
    return handler(request);
  };
  return { fetch: fetchFn, seen };
}

/** A JSON answer. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A token response whose token names the count of tokens issued so far. */
export function tokenIssuer(expiresIn = 300): { handler: FakeHandler; issued: () => number } {
  let count = 0;
  return {
    handler: () => {
      count += 1;
      return json(200, {
        access_token: `token-${count}`,
        token_type: 'Bearer',
        expires_in: expiresIn,
      });
    },
    issued: () => count,
  };
}

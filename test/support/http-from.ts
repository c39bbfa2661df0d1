import { request } from 'node:http';

/** A response as the tests read it. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * Sends a request from a chosen loopback source address, to play several callers: on Linux the
 * whole of 127.0.0.0/8 is local, so binding the socket to 127.0.0.N needs no setup.
 */
export function requestFrom(
  baseUrl: string,
  localAddress: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method ?? 'GET',
        localAddress,
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': String(Buffer.byteLength(options.body)) }),
          ...options.headers,
        },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** A client credentials token request (client_secret_basic) from `localAddress`. */
export function tokenRequestFrom(
  baseUrl: string,
  localAddress: string,
  authorization: string,
): Promise<RawResponse> {
  return requestFrom(baseUrl, localAddress, {
    method: 'POST',
    path: '/oauth2/token',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

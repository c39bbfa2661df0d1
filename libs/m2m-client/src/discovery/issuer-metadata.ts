import { M2mResponseError } from '../errors/m2m-client.error.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { parseRetryAfter } from '../tokens/backoff.js';
import { jsonObject, send, unexpected } from '../tokens/http.js';
import { withRetries } from '../tokens/retrying.js';
import { metadataUrls } from './metadata-url.js';

/** What the client needs from the authorization server's metadata. */
export interface IssuerEndpoints {
  /** The issuer identifier, when known: the audience of client assertions. */
  issuer: string | undefined;
  tokenEndpoint: string;
}

async function fetchMetadata(
  options: ResolvedOptions,
  url: string,
): Promise<Record<string, unknown> | 'not-found'> {
  const response = await send(
    options.fetch,
    url,
    { headers: { accept: 'application/json' } },
    options.timeoutMs,
  );
  if (response.status === 404) return 'not-found';
  if (response.status !== 200) {
    throw new M2mResponseError(
      `${url} answered ${response.status}, not the server's metadata`,
      response.status,
      parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    );
  }
  const metadata = await jsonObject(response);
  if (metadata === undefined) throw unexpected(url, response, 'a JSON metadata document');
  return metadata;
}

/**
 * Reads the issuer's metadata: RFC 8414 first, OpenID Connect Discovery when that is not found.
 * RFC 8414 §3.3: the document's `issuer` must be the one configured, or it is not used.
 */
export async function discoverEndpoints(
  options: ResolvedOptions,
  issuer: string,
): Promise<IssuerEndpoints> {
  for (const url of metadataUrls(issuer)) {
    const metadata = await withRetries(options.retry, () => fetchMetadata(options, url));
    if (metadata === 'not-found') continue;
    if (metadata['issuer'] !== issuer) {
      throw new M2mResponseError(
        `${url} names the issuer ${JSON.stringify(metadata['issuer'])}, not "${issuer}" (RFC 8414 §3.3)`,
        200,
      );
    }
    const tokenEndpoint = metadata['token_endpoint'];
    if (typeof tokenEndpoint !== 'string' || !URL.canParse(tokenEndpoint)) {
      throw new M2mResponseError(`${url} has no valid token_endpoint`, 200);
    }
    return { issuer, tokenEndpoint };
  }
  throw new M2mResponseError(`${issuer} publishes no authorization server metadata`, 404);
}

import { Inject, Injectable } from '@nestjs/common';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  createLocalJWKSet,
  errors as joseErrors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { BoundedCache } from '../common/bounded-cache.js';
import { JwksUriPolicy } from '../domain/jwks-uri-policy.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';

/** A key set fetched from a `jwks_uri` is used this long before it is fetched again. */
const CACHE_MAX_AGE_MS = 10 * 60_000;
/** After an unknown `kid` the set is fetched again, at most this often. */
const REFETCH_COOLDOWN_MS = 30_000;
/** After a failed fetch, attempts fail at once for this long instead of fetching again. */
const FAILURE_BACKOFF_MS = 30_000;
/** `jwks_uri`s remembered, least recently used first out. */
const MAX_URIS = 1000;
/** Keys a fetched set may hold. */
const MAX_KEYS = 100;

/** Why a client's keys could not be had; the private detail of `invalid_client`. */
export class RemoteJwksError extends Error {
  override readonly name = 'RemoteJwksError';
}

interface CachedSet {
  keys: JWTVerifyGetKey | null;
  fetchedAt: number;
  failure: string | null;
}

/**
 * Fetches the key sets of `private_key_jwt` clients from their `jwks_uri`, within bounds:
 * - a response is read up to `privateKeyJwt.maxJwksBytes` (64 KB) and the fetch is cut off at
 *   `jwksTimeoutMs` (3 s), so a huge or slow endpoint costs neither memory nor a long wait;
 * - at most `maxConcurrentFetches` fetches are in flight, and concurrent attempts for one URI
 *   share one fetch; past that, attempts fail at once;
 * - in production only https, and the host must resolve to public addresses (or to the
 *   `allowedNetworks`): the check runs on the addresses the connection then uses, so DNS cannot
 *   change between the check and the connection; redirects are not followed;
 * - sets are cached for ten minutes, fetched again on an unknown `kid` at most every 30 s, and a
 *   failure is remembered for 30 s.
 */
@Injectable()
export class RemoteJwksService {
  private readonly policy: JwksUriPolicy;
  private readonly sets = new BoundedCache<string, CachedSet>(MAX_URIS);
  private readonly inFlight = new Map<string, Promise<CachedSet>>();
  private readonly limits: ResolvedM2mOptions['privateKeyJwt'];

  constructor(@Inject(M2M_RESOLVED_OPTIONS) options: ResolvedM2mOptions) {
    this.policy = new JwksUriPolicy(options.production, options.privateKeyJwt.allowedNetworks);
    this.limits = options.privateKeyJwt;
  }

  /** A key resolver for jose that reads the set at `uri`; it throws `RemoteJwksError`. */
  keysAt(uri: string): JWTVerifyGetKey {
    return async (header, token) => {
      const now = Date.now();
      let set = await this.current(uri, now);
      try {
        return await set(header, token);
      } catch (error) {
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        // A key added since the set was fetched: fetch again, within the cooldown.
        const cached = this.sets.get(uri, now);
        if (cached !== undefined && now - cached.fetchedAt < REFETCH_COOLDOWN_MS) throw error;
        set = await this.current(uri, now, true);
        return set(header, token);
      }
    };
  }

  /** Fetches in flight now (for tests and metrics). */
  get fetching(): number {
    return this.inFlight.size;
  }

  private async current(uri: string, now: number, refresh = false): Promise<JWTVerifyGetKey> {
    let cached = this.sets.get(uri, now);
    const stale =
      cached === undefined ||
      refresh ||
      (cached.failure !== null && now - cached.fetchedAt >= FAILURE_BACKOFF_MS);
    if (stale) cached = await this.fetchShared(uri, now);
    if (cached!.keys === null) throw new RemoteJwksError(cached!.failure ?? 'no keys');
    return cached!.keys;
  }

  private fetchShared(uri: string, now: number): Promise<CachedSet> {
    const running = this.inFlight.get(uri);
    if (running !== undefined) return running;
    if (this.inFlight.size >= this.limits.maxConcurrentFetches) {
      return Promise.resolve({
        keys: null,
        fetchedAt: now,
        failure: 'too many jwks_uri fetches in flight',
      });
    }
    const fetching = this.fetch(uri).then(
      (jwks): CachedSet => ({
        keys: createLocalJWKSet(jwks),
        fetchedAt: Date.now(),
        failure: null,
      }),
      (error: Error): CachedSet => ({ keys: null, fetchedAt: Date.now(), failure: error.message }),
    );
    const shared = fetching.then((set) => {
      this.inFlight.delete(uri);
      const expiresAt = set.fetchedAt + (set.keys === null ? FAILURE_BACKOFF_MS : CACHE_MAX_AGE_MS);
      this.sets.set(uri, set, expiresAt, set.fetchedAt);
      return set;
    });
    this.inFlight.set(uri, shared);
    return shared;
  }

  /** One bounded GET of a key set. */
  private fetch(uri: string): Promise<JSONWebKeySet> {
    const refusal = this.policy.refusal(uri);
    if (refusal !== null) return Promise.reject(new RemoteJwksError(`jwks_uri ${refusal}`));
    const url = new URL(uri);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/jwk-set+json, application/json' },
          lookup: this.checkedLookup(),
          timeout: this.limits.jwksTimeoutMs,
        },
        (response) => this.read(response, outgoing.destroy.bind(outgoing)).then(resolve, reject),
      );
      const deadline = setTimeout(
        () =>
          outgoing.destroy(
            new RemoteJwksError(`jwks_uri took over ${this.limits.jwksTimeoutMs} ms`),
          ),
        this.limits.jwksTimeoutMs,
      );
      outgoing.on('close', () => clearTimeout(deadline));
      outgoing.on('timeout', () =>
        outgoing.destroy(new RemoteJwksError(`jwks_uri took over ${this.limits.jwksTimeoutMs} ms`)),
      );
      outgoing.on('error', (error) =>
        reject(
          error instanceof RemoteJwksError
            ? error
            : new RemoteJwksError(`jwks_uri: ${error.message}`),
        ),
      );
      outgoing.end();
    });
  }

  /** Reads the body up to the byte limit, then parses and checks the key set. */
  private read(response: IncomingMessage, abort: (error: Error) => void): Promise<JSONWebKeySet> {
    return new Promise((resolve, reject) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new RemoteJwksError(`jwks_uri answered ${response.statusCode}`));
        return;
      }
      const declared = Number(response.headers['content-length'] ?? 0);
      const tooLarge = () =>
        new RemoteJwksError(`jwks_uri response over ${this.limits.maxJwksBytes} bytes`);
      if (declared > this.limits.maxJwksBytes) {
        abort(tooLarge());
        reject(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.limits.maxJwksBytes) {
          abort(tooLarge());
          reject(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => reject(new RemoteJwksError(`jwks_uri: ${error.message}`)));
      response.on('end', () => {
        try {
          resolve(asKeySet(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
        } catch (error) {
          reject(
            error instanceof RemoteJwksError ? error : new RemoteJwksError('jwks_uri is not JSON'),
          );
        }
      });
    });
  }

  /** DNS resolution that refuses, in production, any address that is not public. */
  private checkedLookup(): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const list = addresses as LookupAddress[];
        const refused = list.find((entry) => !this.policy.allowsAddress(entry.address));
        if (list.length === 0 || refused !== undefined) {
          const reason = new RemoteJwksError(
            'jwks_uri resolves to a loopback, private, link-local or metadata address',
          );
          return callback(reason as NodeJS.ErrnoException, '', 0);
        }
        if (options.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
        return callback(null, list[0]!.address, list[0]!.family);
      });
    };
  }
}

/** Checks the shape of a fetched key set: `{ "keys": [ … ] }` with 1 to 100 keys. */
function asKeySet(value: unknown): JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_KEYS) {
    throw new RemoteJwksError(`jwks_uri is not a JWKS with 1 to ${MAX_KEYS} keys`);
  }
  return value as JSONWebKeySet;
}

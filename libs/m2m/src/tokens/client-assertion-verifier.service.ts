import { Inject, Injectable } from '@nestjs/common';
import {
  createLocalJWKSet,
  decodeJwt,
  jwtVerify,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
} from 'jose';
import { hasControlCharacters } from '../common/text.js';
import { loggableClientId } from '../clients/client-secret.js';
import { InvalidClientError } from '../errors/oauth.error.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { TOKEN_PATH } from '../domain/endpoint-paths.js';
import { AssertionJtiStore } from '../stores/assertion-jti-store.js';
import { ClientStore } from '../stores/client-store.js';
import type { StoredClient } from '../domain/client.js';
import { ACCESS_TOKEN_ALGORITHMS } from '../verification/access-token-claims.js';
import { RemoteJwksError, RemoteJwksService } from './remote-jwks.service.js';
import type { ClientAssertion } from './token-request.js';

/** Assertions may live at most this long (RFC 7523 §3 asks for a short lifetime). */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/**
 * Authenticates `private_key_jwt` clients (RFC 7523 §2.2 and §3): the assertion is signed by one
 * of the client's registered keys, `iss` and `sub` are its client id, it expires within five
 * minutes, and its `jti` is used once. Its `aud` must be this server's issuer identifier, as a
 * single string (draft-ietf-oauth-rfc7523bis, which closes an audience confusion between
 * servers); the token endpoint URL is accepted too only with
 * `privateKeyJwt.acceptTokenEndpointAudience`. Every failure is the same `invalid_client`.
 */
@Injectable()
export class ClientAssertionVerifier {
  private readonly audiences: string[];

  constructor(
    private readonly clients: ClientStore,
    private readonly jtis: AssertionJtiStore,
    private readonly remoteKeys: RemoteJwksService,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {
    const { issuer } = options;
    this.audiences = options.privateKeyJwt.acceptTokenEndpointAudience
      ? [issuer, `${issuer}/${TOKEN_PATH}`]
      : [issuer];
  }

  async authenticate(assertion: ClientAssertion, now = new Date()): Promise<StoredClient> {
    let clientId: string | undefined;
    try {
      const iss = decodeJwt(assertion.jwt).iss;
      clientId = typeof iss === 'string' ? iss : undefined;
    } catch {
      clientId = undefined;
    }
    const name = loggableClientId((clientId ?? assertion.clientId ?? 'unknown').slice(0, 64));
    const failure = (detail: string) => new InvalidClientError(`client ${name}: ${detail}`, false);
    if (clientId === undefined) throw failure('malformed assertion');
    if (assertion.clientId !== undefined && assertion.clientId !== clientId) {
      throw failure('client_id differs from the assertion issuer');
    }
    const client = await this.clients.findById(clientId);
    if (client === null || client.authMethod !== 'private_key_jwt') {
      throw failure('unknown client, or not a private_key_jwt client');
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion.jwt, this.keysOf(client), {
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        issuer: clientId,
        subject: clientId,
        audience: this.audiences,
        clockTolerance: this.options.clockToleranceSeconds,
        currentDate: now,
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (error) {
      if (error instanceof RemoteJwksError) throw failure(error.message);
      throw failure(`assertion rejected (${(error as { code?: string }).code ?? 'invalid'})`);
    }
    // draft-ietf-oauth-rfc7523bis: one audience, as a string, not an array holding it.
    if (typeof payload.aud !== 'string') throw failure('aud must be a single string');
    const jti = payload.jti;
    if (typeof jti !== 'string' || jti.length > 255 || hasControlCharacters(jti)) {
      throw failure('malformed jti');
    }
    const exp = payload.exp!;
    if (
      exp - now.getTime() / 1000 >
      MAX_ASSERTION_LIFETIME_SECONDS + this.options.clockToleranceSeconds
    ) {
      throw failure('assertion lifetime over five minutes');
    }
    if (client.status !== 'active') throw failure(`client is ${client.status}`);
    if (client.expiresAt !== null && client.expiresAt.getTime() <= now.getTime()) {
      throw failure('client has expired');
    }
    const fresh = await this.jtis.use(
      clientId,
      jti,
      new Date((exp + this.options.clockToleranceSeconds) * 1000),
      now,
    );
    if (!fresh) throw failure('assertion replayed (jti already used)');
    return client;
  }

  /** The client's keys: its JWKS, or its `jwks_uri` fetched within bounds and cached. */
  private keysOf(client: StoredClient): JWTVerifyGetKey {
    if (client.jwks !== null) return createLocalJWKSet(client.jwks as JSONWebKeySet);
    return this.remoteKeys.keysAt(client.jwksUri!);
  }
}

import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { isWellFormedSecret, loggableClientId, secretHint } from '../clients/client-secret.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';
import { InvalidClientError } from '../errors/oauth.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { ClientStore } from '../stores/client-store.js';
import type { StoredClient } from '../domain/client.js';
import { ClientAssertionVerifier } from './client-assertion-verifier.service.js';
import {
  VerifiedCredentialCache,
  type VerifiedSecret,
} from '../clients/verified-credential-cache.service.js';
import { FailureBudget } from './failure-budget.service.js';
import { SecretVerificationQueue } from './secret-verification-queue.js';
import type { ClientAuthentication, ClientCredentials } from './token-request.js';

/** An authenticated client and which of its credentials it used. */
export interface AuthenticatedClient {
  client: StoredClient;
  /** `next` during a rotation when the new secret was presented; `key` for private_key_jwt. */
  secret: VerifiedSecret | 'key';
}

/** Why credentials were refused, for the private detail of `invalid_client`. */
type Refusal = string;

/**
 * Authenticates the client of a token request (RFC 6749 §2.3.1).
 *
 * Every failure is the same `invalid_client`. The steps, cheapest first:
 * 1. A secret whose format or checksum is wrong fails before any lookup.
 * 2. A (client id, secret) pair that already passed the hasher is found in the verified-credential
 *    cache: no hashing, no database read.
 * 3. Otherwise the failure budgets of the address and the claimed client id are checked; a spent
 *    budget refuses the attempt before any hashing.
 * 4. The secret is verified in the bounded queue. Every attempt costs exactly one hash
 *    verification: an unknown client id is checked against a dummy hash, during a rotation the
 *    stored hints say which secret was presented, and status and expiry are checked only after
 *    the secret, so the response time tells none of those cases apart.
 */
@Injectable()
export class ClientAuthenticator implements OnModuleInit {
  private dummyHash = '';

  constructor(
    private readonly store: ClientStore,
    @Inject(M2M_SECRET_HASHER) private readonly hasher: M2mSecretHasher,
    private readonly cache: VerifiedCredentialCache,
    private readonly budget: FailureBudget,
    private readonly queue: SecretVerificationQueue,
    private readonly metrics: M2mMetrics,
    @Optional() private readonly assertions?: ClientAssertionVerifier,
  ) {}

  async onModuleInit(): Promise<void> {
    // Same algorithm and cost as real secrets, so verifying against it takes as long.
    this.dummyHash = await this.hasher.hash(randomBytes(32).toString('base64url'));
  }

  async authenticate(
    request: ClientAuthentication,
    now = new Date(),
  ): Promise<AuthenticatedClient> {
    if (request.assertion != null && this.assertions !== undefined) {
      return { client: await this.assertions.authenticate(request.assertion, now), secret: 'key' };
    }
    const credentials = request.credentials;
    // A request without credentials gets a Basic challenge: it is how this server expects them.
    if (credentials === null) throw new InvalidClientError('no client credentials', true);
    const failure = (detail: Refusal, limited = false) =>
      new InvalidClientError(
        `client ${loggableClientId(credentials.clientId.slice(0, 64))}: ${detail}`,
        request.usedBasic,
        limited,
      );
    if (!isWellFormedSecret(credentials.clientSecret)) {
      throw failure('malformed secret (format or checksum)');
    }
    const source = request.source ?? 'unknown';
    const cached = this.cache.lookup(credentials.clientId, credentials.clientSecret, now.getTime());
    this.metrics.credentialCache(cached !== undefined);
    if (cached !== undefined) {
      const refusal = refusalOf(cached.client, cached.secret, now);
      if (refusal !== null) {
        // Expired (or its old secret's grace ended) since it was cached.
        this.cache.invalidate(credentials.clientId);
        throw failure(refusal);
      }
      this.budget.recordSuccess(credentials.clientId, source, now.getTime());
      return cached;
    }

    const standing = this.budget.standing(credentials.clientId, source, now.getTime());
    if (standing === 'ip_spent' || standing === 'client_spent') {
      this.metrics.limited(standing === 'ip_spent' ? 'ip_failures' : 'client_failures');
      const whose = standing === 'ip_spent' ? 'address' : 'client';
      throw failure(`failure budget of the ${whose} spent`, true);
    }
    const generation = this.cache.generation;
    const outcome = await this.queue.run(
      () => this.verify(credentials, now),
      standing === 'known' ? 'known' : 'other',
    );
    if (typeof outcome === 'string') {
      await this.budget.recordFailure(credentials.clientId, source, now.getTime());
      throw failure(outcome);
    }
    this.cache.remember(
      outcome.client,
      credentials.clientSecret,
      outcome.secret,
      generation,
      now.getTime(),
    );
    this.budget.recordSuccess(credentials.clientId, source, now.getTime());
    return outcome;
  }

  /** One hash verification against the stored client: the client, or why it was refused. */
  private async verify(
    credentials: ClientCredentials,
    now: Date,
  ): Promise<{ client: StoredClient; secret: VerifiedSecret } | Refusal> {
    const client = await this.store.findById(credentials.clientId);
    // A private_key_jwt client has no secret: it is checked against the dummy hash, and fails.
    const hasSecret = client !== null && client.authMethod === 'client_secret';
    // During a rotation, the stored hints (last four characters) say which of the two secrets
    // was presented, so a failure costs one verification whatever the rotation state. Only if
    // both secrets share a hint (one chance in 62^4) are both checked.
    const next = hasSecret ? client.nextSecret : null;
    const hint = secretHint(credentials.clientSecret);
    const claimsNext = next !== null && hint === next.hint;
    const claimsCurrent = !claimsNext || hint === client?.secretHint;
    let secret: VerifiedSecret | null = null;
    if (claimsCurrent) {
      const matches = await this.hasher.verify(
        credentials.clientSecret,
        hasSecret ? client.secretHash : this.dummyHash,
      );
      if (matches) secret = 'current';
    }
    if (secret === null && next !== null && claimsNext) {
      if (await this.hasher.verify(credentials.clientSecret, next.hash)) secret = 'next';
    }
    if (client === null) return 'unknown client';
    if (secret === null) return 'secret does not match';
    return refusalOf(client, secret, now) ?? { client, secret };
  }
}

/** Why a client whose secret matched may still not authenticate, or null. */
function refusalOf(client: StoredClient, secret: VerifiedSecret, now: Date): Refusal | null {
  if (secret === 'current' && client.secretExpiresAt !== null && client.secretExpiresAt <= now) {
    return 'old secret expired after rotation';
  }
  if (client.status !== 'active') return `client is ${client.status}`;
  if (client.expiresAt !== null && client.expiresAt.getTime() <= now.getTime()) {
    return 'client has expired';
  }
  return null;
}

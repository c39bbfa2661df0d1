import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { isWellFormedSecret, secretHint } from '../clients/client-secret.js';
import type { M2mSecretHasher } from '../clients/secret-hasher.js';
import { InvalidClientError } from '../errors/oauth.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { ClientStore } from '../persistence/client.store.js';
import type { StoredClient } from '../persistence/stored-client.js';
import { ClientAssertionVerifier } from './client-assertion.service.js';
import type { ClientAuthentication } from './token-request.js';

/** An authenticated client and which of its credentials it used. */
export interface AuthenticatedClient {
  client: StoredClient;
  /** `next` during a rotation when the new secret was presented; `key` for private_key_jwt. */
  secret: 'current' | 'next' | 'key';
}

/**
 * Authenticates the client of a token request (RFC 6749 §2.3.1).
 *
 * Every failure is the same `invalid_client`. A secret whose format or checksum is wrong fails
 * before any lookup (that says nothing about the client). Otherwise every attempt costs a hash
 * verification: an unknown client id is checked against a dummy hash, and status and expiry
 * are checked only after the secret, so the response time does not tell those cases apart,
 * nor whether the client is in the middle of a secret rotation.
 */
@Injectable()
export class ClientAuthenticator implements OnModuleInit {
  private dummyHash = '';

  constructor(
    private readonly store: ClientStore,
    @Inject(M2M_SECRET_HASHER) private readonly hasher: M2mSecretHasher,
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
    const failure = (detail: string) =>
      new InvalidClientError(
        `client ${credentials.clientId.slice(0, 64)}: ${detail}`,
        request.usedBasic,
      );
    if (!isWellFormedSecret(credentials.clientSecret))
      throw failure('malformed secret (format or checksum)');

    const client = await this.store.findById(credentials.clientId);
    // A private_key_jwt client has no secret: it is checked against the dummy hash, and fails.
    const hasSecret = client !== null && client.authMethod === 'client_secret';
    const currentUsable =
      hasSecret && (client.secretExpiresAt === null || client.secretExpiresAt > now);
    // During a rotation, the stored hints (last four characters) say which of the two secrets
    // was presented, so a failure costs one verification whatever the rotation state. Only if
    // both secrets share a hint (one chance in 62^4) are both checked.
    const next = hasSecret ? client.nextSecret : null;
    const hint = secretHint(credentials.clientSecret);
    const claimsNext = next !== null && hint === next.hint;
    const claimsCurrent = !claimsNext || hint === client?.secretHint;
    const matchesCurrent =
      claimsCurrent &&
      (await this.hasher.verify(
        credentials.clientSecret,
        hasSecret ? client.secretHash : this.dummyHash,
      ));
    let secret: AuthenticatedClient['secret'] | null =
      matchesCurrent && currentUsable ? 'current' : null;
    if (secret === null && claimsNext) {
      if (await this.hasher.verify(credentials.clientSecret, next.hash)) secret = 'next';
    }
    if (client === null) throw failure('unknown client');
    if (secret === null) {
      throw failure(matchesCurrent ? 'old secret expired after rotation' : 'secret does not match');
    }
    if (client.status !== 'active') throw failure(`client is ${client.status}`);
    if (client.expiresAt !== null && client.expiresAt.getTime() <= now.getTime()) {
      throw failure('client has expired');
    }
    return { client, secret };
  }
}

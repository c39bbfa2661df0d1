import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { M2mSecretHasher } from '../clients/secret-hasher.js';
import { InvalidClientError } from '../errors/oauth.error.js';
import { M2M_SECRET_HASHER } from '../m2m.constants.js';
import { ClientStore } from '../persistence/client.store.js';
import type { StoredClient } from '../persistence/stored-client.js';
import type { TokenRequest } from './token-request.js';

/**
 * Authenticates the client of a token request (RFC 6749 §2.3.1).
 *
 * Every failure is the same `invalid_client`, and every attempt costs one hash verification:
 * an unknown client id is checked against a dummy hash, and status and expiry are checked only
 * after the secret, so the response time does not tell the cases apart.
 */
@Injectable()
export class ClientAuthenticator implements OnModuleInit {
  private dummyHash = '';

  constructor(
    private readonly store: ClientStore,
    @Inject(M2M_SECRET_HASHER) private readonly hasher: M2mSecretHasher,
  ) {}

  async onModuleInit(): Promise<void> {
    // Same algorithm and cost as real secrets, so verifying against it takes as long.
    this.dummyHash = await this.hasher.hash(randomBytes(32).toString('base64url'));
  }

  async authenticate(request: TokenRequest, now = new Date()): Promise<StoredClient> {
    const credentials = request.credentials;
    // A request without credentials gets a Basic challenge: it is how this server expects them.
    if (credentials === null) throw new InvalidClientError('no client credentials', true);

    const client = await this.store.findById(credentials.clientId);
    const matches = await this.hasher.verify(
      credentials.clientSecret,
      client?.secretHash ?? this.dummyHash,
    );
    const failure = (detail: string) =>
      new InvalidClientError(`client ${credentials.clientId}: ${detail}`, request.usedBasic);
    if (client === null) throw failure('unknown client');
    if (!matches) throw failure('secret does not match');
    if (client.status !== 'active') throw failure(`client is ${client.status}`);
    if (client.expiresAt !== null && client.expiresAt.getTime() <= now.getTime()) {
      throw failure('client has expired');
    }
    return client;
  }
}

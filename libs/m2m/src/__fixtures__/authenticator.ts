// Unit-test wiring of the client authenticator with its real collaborators (cache, budgets,
// queue) and fakes for the database and the hasher. Not part of the build.
import type { ThrottlerStorage } from '@nestjs/throttler';
import { VerifiedCredentialCache } from '../clients/verified-credential-cache.service.js';
import type { M2mSecretHasher } from '../domain/secret-hasher.js';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mModuleOptions } from '../options/module-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { M2mMemoryRateLimitStorage } from '../rate-limit/memory-rate-limit.storage.js';
import type { ClientStore } from '../stores/client-store.js';
import type { ChangeFeed } from '../revocation/change-feed.service.js';
import { ClientAuthenticator } from '../tokens/client-authenticator.service.js';
import { FailureBudget } from '../tokens/failure-budget.service.js';
import { SecretVerificationQueue } from '../tokens/secret-verification-queue.js';

/** A change feed that only collects listeners; `change(id)` plays a change of a client. */
export function fakeFeed(): ChangeFeed & { change(clientId: string): void } {
  const listeners: ((clientId: string) => void)[] = [];
  return {
    onClientChange: (listener: (clientId: string) => void) => void listeners.push(listener),
    change: (clientId: string) => listeners.forEach((listener) => listener(clientId)),
  } as unknown as ChangeFeed & { change(clientId: string): void };
}

/** Metrics that remember what was reported. */
export class RecordingMetrics extends M2mMetrics {
  readonly credentialLookups: boolean[] = [];
  readonly limits: string[] = [];

  override credentialCache(hit: boolean): void {
    this.credentialLookups.push(hit);
  }

  override limited(kind: string): void {
    this.limits.push(kind);
  }
}

/** The authenticator as the module wires it, over `store` and `hasher`. */
export function wireAuthenticator(
  store: Pick<ClientStore, 'findById'>,
  hasher: M2mSecretHasher,
  overrides: Partial<M2mModuleOptions> = {},
  storage: ThrottlerStorage = new M2mMemoryRateLimitStorage(),
) {
  const options = resolveM2mOptions({
    issuer: 'https://auth.example.com',
    keyEncryptionKey: Buffer.alloc(32),
    production: false,
    ...overrides,
  });
  const feed = fakeFeed();
  const cache = new VerifiedCredentialCache(feed, options);
  const budget = new FailureBudget(storage, options);
  const queue = new SecretVerificationQueue(options);
  const metrics = new RecordingMetrics();
  const authenticator = new ClientAuthenticator(
    store as ClientStore,
    hasher,
    cache,
    budget,
    queue,
    metrics,
  );
  return { authenticator, options, feed, cache, budget, queue, metrics };
}

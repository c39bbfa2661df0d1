import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { M2mMetricsOptions } from '../options/module-extras.js';
import {
  M2mMetrics,
  type M2mEndpoint,
  type M2mGuardRejection,
  type M2mLimitKind,
} from './m2m-metrics.js';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * Prometheus collectors for the hot paths, in a registry of their own (never the global
 * default, so two applications in one process do not collide). Labels hold endpoint names,
 * outcome codes and reasons, never secrets or tokens; `client_id` only with `clientLabels`.
 */
export class M2mPrometheusMetrics extends M2mMetrics {
  /** The registry to scrape, or to merge into the host's own. */
  readonly registry = new Registry();
  private readonly requests: Counter<string>;
  private readonly latency: Histogram<string>;
  private readonly credentialLookups: Counter<string>;
  private readonly tokenLookups: Counter<string>;
  private readonly limits: Counter<string>;
  private readonly guard: Counter<string>;
  private readonly auditDropped: Counter<string>;
  private readonly clientLabels: boolean;
  private readonly requestChildren = new Map<string, { inc(): void }>();
  private readonly credentialHits: { inc(value?: number): void };
  private readonly credentialMisses: { inc(value?: number): void };
  private readonly tokenHits: { inc(value?: number): void };
  private readonly tokenMisses: { inc(value?: number): void };
  private readonly latencyChildren = new Map<string, { observe(value: number): void }>();

  constructor(
    options: M2mMetricsOptions,
    queue: { readonly depth: number; readonly active: number },
  ) {
    super();
    this.clientLabels = options.clientLabels ?? false;
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'm2m_oauth_requests_total',
      help: 'Requests to the token, introspection and revocation endpoints, by outcome (issued, ok, or the OAuth error code).',
      labelNames: this.clientLabels
        ? ['endpoint', 'outcome', 'client_id']
        : ['endpoint', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'm2m_oauth_request_duration_seconds',
      help: 'Time to answer a request to the token, introspection and revocation endpoints (failures include the failure delay).',
      labelNames: ['endpoint'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.credentialLookups = new Counter({
      name: 'm2m_credential_cache_lookups_total',
      help: 'Lookups in the verified-credential cache (hit: no secret hashing, no database read).',
      labelNames: ['result'],
      registers,
    });
    this.tokenLookups = new Counter({
      name: 'm2m_token_cache_lookups_total',
      help: 'Lookups in the guard’s verified-token cache (hit: no signature check).',
      labelNames: ['result'],
      registers,
    });
    this.limits = new Counter({
      name: 'm2m_rate_limited_total',
      help: 'Requests refused by a limit: ip_failures, client_failures, issuance_quota, queue_full.',
      labelNames: ['limit'],
      registers,
    });
    this.guard = new Counter({
      name: 'm2m_guard_rejections_total',
      help: 'Requests the bearer guard refused, by RFC 6750 error (missing: no token).',
      labelNames: ['reason'],
      registers,
    });
    this.auditDropped = new Counter({
      name: 'm2m_audit_events_dropped_total',
      help: 'Audit events dropped: refused by the database one by one, or past the bound while it was unavailable.',
      registers,
    });
    new Gauge({
      name: 'm2m_secret_verification_queue_depth',
      help: 'Slow secret verifications (bcrypt) waiting for a slot.',
      registers,
      collect() {
        this.set(queue.depth);
      },
    });
    new Gauge({
      name: 'm2m_secret_verifications_active',
      help: 'Slow secret verifications (bcrypt) running.',
      registers,
      collect() {
        this.set(queue.active);
      },
    });
    for (const endpoint of ['token', 'introspection', 'revocation'])
      this.latency.zero({ endpoint });
    this.credentialHits = this.credentialLookups.labels({ result: 'hit' });
    this.credentialMisses = this.credentialLookups.labels({ result: 'miss' });
    this.tokenHits = this.tokenLookups.labels({ result: 'hit' });
    this.tokenMisses = this.tokenLookups.labels({ result: 'miss' });
    for (const child of [
      this.credentialHits,
      this.credentialMisses,
      this.tokenHits,
      this.tokenMisses,
    ])
      child.inc(0);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  override request(
    endpoint: M2mEndpoint,
    outcome: string,
    seconds: number,
    clientId?: string,
  ): void {
    if (this.clientLabels && clientId !== undefined) {
      this.requests.inc({ endpoint, outcome, client_id: clientId });
    } else {
      this.child(this.requestChildren, `${endpoint} ${outcome}`, () =>
        this.requests.labels({ endpoint, outcome }),
      ).inc();
    }
    this.child(this.latencyChildren, endpoint, () => this.latency.labels({ endpoint })).observe(
      seconds,
    );
  }

  /** Label-bound children, kept: resolving labels on every request costs more than counting. */
  private child<T>(children: Map<string, T>, key: string, make: () => T): T {
    let child = children.get(key);
    if (child === undefined) {
      child = make();
      children.set(key, child);
    }
    return child;
  }

  override credentialCache(hit: boolean): void {
    (hit ? this.credentialHits : this.credentialMisses).inc();
  }

  override tokenCache(hit: boolean): void {
    (hit ? this.tokenHits : this.tokenMisses).inc();
  }

  override limited(kind: M2mLimitKind): void {
    this.limits.inc({ limit: kind });
  }

  override guardRejected(reason: M2mGuardRejection): void {
    this.guard.inc({ reason });
  }

  override auditEventsDropped(count: number): void {
    this.auditDropped.inc(count);
  }
}

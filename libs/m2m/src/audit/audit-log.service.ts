import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { M2mAuditEventInput } from '../domain/audit-event.js';
import { isDatabaseUnavailable } from '../errors/database-unavailable.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { AuditStore, toAuditRow, type AuditRow } from '../stores/audit-store.js';
import type { ClientUsage } from '../stores/client-store.js';
import { M2mTransactions } from '../stores/transactions.js';
import {
  checkAuditQuery,
  encodeAuditCursor,
  mergeUsage,
  toAuditEvent,
  toRow,
  type M2mAuditPage,
  type M2mAuditQuery,
} from './audit-records.js';
import { FailureAggregator } from './failure-aggregator.js';

/** Pending events and usage are written in one batch when this many are waiting. */
const FLUSH_AT = 500;
/** While the database is unreachable, at most this many events wait; the oldest are dropped. */
const MAX_PENDING = 20_000;

/**
 * The append-only audit log and the usage counters.
 *
 * Administrative events are written in the transaction of the change they describe. Events of
 * the token endpoint (`token.issued`, `authentication.failed`) and the usage counters are
 * buffered and written in batches every `auditFlushIntervalMs` (and at shutdown), so that the
 * token endpoint never waits on them. A crash loses at most that interval of those events.
 */
@Injectable()
export class AuditLog implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('M2mAudit');
  private pending: AuditRow[] = [];
  private usage = new Map<string, ClientUsage>();
  private readonly failures = new FailureAggregator();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly transactions: M2mTransactions,
    private readonly store: AuditStore,
    private readonly metrics: M2mMetrics,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  /** Starts writing only once the whole application started: a failed start leaves no timer. */
  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.options.auditFlushIntervalMs);
    this.timer.unref();
  }

  /** Before the data source closes (TypeORM closes it in onApplicationShutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush(true);
  }

  /** Records an event inside the caller's transaction. */
  async record(audit: AuditStore, event: M2mAuditEventInput, at = new Date()): Promise<void> {
    await audit.append([toRow(event, at)]);
  }

  /** Queues an event of the token endpoint; written with the next batch. */
  recordLater(event: M2mAuditEventInput, at = new Date()): void {
    this.pending.push(toAuditRow(toRow(event, at)));
    if (this.pending.length >= FLUSH_AT) void this.flush();
  }

  /**
   * Records a failed client authentication, summed with the failures of the same claimed id in
   * the same minute (see {@link FailureAggregator}); `limited` when a spent budget refused it.
   */
  recordFailure(clientId: string, method: string, limited: boolean, at = new Date()): void {
    const first = this.failures.add(clientId, method, at, limited);
    if (first !== null) this.recordLater(first.event, first.at);
  }

  /** Counts a token issued to a client, and which of its secrets authenticated. */
  countUsage(clientId: string, secret: 'current' | 'next' | 'key', at = new Date()): void {
    const usage = this.usage.get(clientId) ?? {
      tokens: 0,
      lastUsedAt: at,
      currentSecretUsedAt: null,
      nextSecretUsedAt: null,
    };
    usage.tokens += 1;
    usage.lastUsedAt = at;
    if (secret === 'current') usage.currentSecretUsedAt = at;
    else if (secret === 'next') usage.nextSecretUsedAt = at;
    this.usage.set(clientId, usage);
  }

  /**
   * Writes what is buffered; with `all`, also the failures still being summed (at shutdown).
   * Safe to call at any time; calls do not overlap.
   */
  flush(all = false): Promise<void> {
    this.flushing = this.flushing.then(() => this.write(all));
    return this.flushing;
  }

  /** Audit events, newest first, filtered, with cursor pagination. */
  async list(query: M2mAuditQuery = {}): Promise<M2mAuditPage> {
    const { limit, after } = checkAuditQuery(query);
    const rows = await this.store.list({
      limit: limit + 1,
      after,
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.clientId === undefined ? {} : { clientId: query.clientId }),
      ...(query.ownerId === undefined ? {} : { ownerId: query.ownerId }),
      ...(query.actorId === undefined ? {} : { actorId: query.actorId }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map(toAuditEvent),
      nextCursor: rows.length > limit ? encodeAuditCursor(page[page.length - 1]!) : null,
    };
  }

  private async write(all = false): Promise<void> {
    for (const { event, at } of this.failures.drain(Date.now(), all)) {
      this.pending.push(toAuditRow(toRow(event, at)));
    }
    const events = this.pending;
    const usage = this.usage;
    if (events.length === 0 && usage.size === 0) return;
    this.pending = [];
    this.usage = new Map();
    await this.writeUsage(usage);
    await this.writeEvents(events);
  }

  /**
   * Usage counters, in a transaction of their own: operators decide when to complete a rotation
   * from `secret_last_used_at`, so no audit event may hold these writes back.
   */
  private async writeUsage(usage: Map<string, ClientUsage>): Promise<void> {
    if (usage.size === 0) return;
    try {
      await this.transactions.run(async (stores) => {
        for (const [clientId, counts] of usage) await stores.clients.addUsage(clientId, counts);
      });
    } catch (error) {
      for (const [clientId, counts] of usage) {
        const newer = this.usage.get(clientId);
        this.usage.set(clientId, newer === undefined ? counts : mergeUsage(counts, newer));
      }
      this.logger.warn(`Could not write usage counters: ${(error as Error).message}`);
    }
  }

  /**
   * Events, in one batch. If the database refuses the batch for something in it (not because it
   * is unavailable), the events are written one by one, so that one bad event can never hold the
   * others back; the ones refused alone are dropped and counted. While the database is
   * unavailable, events wait for the next attempt, within a bound.
   */
  private async writeEvents(events: AuditRow[]): Promise<void> {
    if (events.length === 0) return;
    try {
      await this.transactions.run((stores) => stores.audit.appendRows(events));
      return;
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        this.keepForLater(events);
        this.logger.warn(
          `Could not write ${events.length} audit events: ${(error as Error).message}`,
        );
        return;
      }
    }
    let refused = 0;
    for (let i = 0; i < events.length; i++) {
      try {
        await this.store.appendRows([events[i]!]);
      } catch (error) {
        if (isDatabaseUnavailable(error)) {
          this.keepForLater(events.slice(i));
          break;
        }
        refused += 1;
      }
    }
    if (refused > 0) {
      this.metrics.auditEventsDropped(refused);
      this.logger.error(`Dropped ${refused} audit events that the database refused`);
    }
  }

  /** Puts unwritten events back in front of the queue; past the bound the oldest are dropped. */
  private keepForLater(events: AuditRow[]): void {
    this.pending = [...events, ...this.pending];
    const dropped = this.pending.length - MAX_PENDING;
    if (dropped > 0) {
      this.pending.splice(0, dropped);
      this.metrics.auditEventsDropped(dropped);
      this.logger.error(`Dropped the ${dropped} oldest unwritten audit events`);
    }
  }
}

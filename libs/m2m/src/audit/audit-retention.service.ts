import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { AuditStore } from '../stores/audit-store.js';

/** The purge runs this often on every instance; running on several at once is harmless. */
const PURGE_EVERY_MS = 3600_000;
/** Events deleted per statement. */
const BATCH = 10_000;

/** Deletes audit events older than `auditRetentionDays`, every hour, in short batches. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('M2mAudit');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: AuditStore,
    @Inject(M2M_RESOLVED_OPTIONS) private readonly options: ResolvedM2mOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.auditRetentionDays === null) return;
    this.timer = setInterval(
      () =>
        void this.purge().catch((error: Error) =>
          this.logger.warn(`Could not purge old audit events: ${error.message}`),
        ),
      PURGE_EVERY_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes the events older than the retention; returns how many. */
  async purge(now = new Date()): Promise<number> {
    const days = this.options.auditRetentionDays;
    if (days === null) return 0;
    const before = new Date(now.getTime() - days * 86_400_000);
    let total = 0;
    for (;;) {
      const deleted = await this.store.purge(before, BATCH);
      total += deleted;
      if (deleted < BATCH) break;
    }
    if (total > 0) this.logger.log(`Deleted ${total} audit events older than ${days} days`);
    return total;
  }
}

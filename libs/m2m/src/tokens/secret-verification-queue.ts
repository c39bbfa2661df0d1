import { Inject, Injectable } from '@nestjs/common';
import { TemporarilyUnavailableError } from '../errors/oauth.error.js';
import { M2M_RESOLVED_OPTIONS } from '../m2m.internal-constants.js';
import type { ResolvedM2mOptions } from '../options/resolved-options.js';

/** Which line a verification waits in: known sources go first. */
export type VerificationPriority = 'known' | 'other';

/**
 * The bounded queue in front of slow secret verifications (bcrypt). At most `concurrency` run at
 * once, so a flood of attempts uses a bounded share of the CPU and the event loop keeps serving
 * warm requests; at most `maxQueued` wait, and past that a request gets 503 with `Retry-After`
 * rather than an ever longer wait. Attempts from a known source (a client authenticating from an
 * address it used before) wait in a line of their own that is always served first.
 */
@Injectable()
export class SecretVerificationQueue {
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private running = 0;
  private readonly lines: Record<VerificationPriority, (() => void)[]> = { known: [], other: [] };

  constructor(@Inject(M2M_RESOLVED_OPTIONS) options: ResolvedM2mOptions) {
    this.concurrency = options.secretVerification.concurrency;
    this.maxQueued = options.secretVerification.maxQueued;
  }

  /** Verifications waiting for a slot. */
  get depth(): number {
    return this.lines.known.length + this.lines.other.length;
  }

  /** Verifications running now. */
  get active(): number {
    return this.running;
  }

  /** Runs `work` when a slot is free; `TemporarilyUnavailableError` when the queue is full. */
  async run<T>(work: () => Promise<T>, priority: VerificationPriority = 'other'): Promise<T> {
    if (this.running < this.concurrency) {
      this.running += 1;
    } else {
      if (this.depth >= this.maxQueued) {
        throw new TemporarilyUnavailableError(1, undefined, 503, 'secret verification queue full');
      }
      // The slot is handed over by release(): `running` already counts this caller.
      await new Promise<void>((resolve) => this.lines[priority].push(resolve));
    }
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.lines.known.shift() ?? this.lines.other.shift();
    if (next === undefined) this.running -= 1;
    else next();
  }
}

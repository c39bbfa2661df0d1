import type { M2mAuditEventInput } from '../domain/audit-event.js';

/** Failures of one claimed client id and method are summed over windows this long. */
export const FAILURE_WINDOW_MS = 60_000;
/** Distinct claimed ids summed per window; the rest are summed together, without their ids. */
const MAX_KEYS = 1000;

interface Window {
  clientId: string | null;
  method: string;
  startedAt: number;
  lastAt: number;
  /** Failures after the first one, which was written at once. */
  repeated: number;
  /** Attempts refused by a spent failure budget, never verified. */
  limited: number;
  /** For the summary of ids past MAX_KEYS: how many distinct ids it stands for. */
  ids: Set<string> | null;
}

/** An event to write, and when it happened. */
export interface TimedAuditEvent {
  event: M2mAuditEventInput;
  at: Date;
}

/**
 * Sums repeated `authentication.failed` events, so that a flood of bad credentials cannot fill
 * the audit log: the first failure of a claimed client id (and method) in a window is recorded at
 * once, and the ones that follow within the window, with the attempts a spent budget refused, as
 * one more event when the window ends. At most two events per id and minute, and at most about a
 * thousand ids a minute; beyond that, one event counts the others.
 */
export class FailureAggregator {
  private readonly windows = new Map<string, Window>();

  /**
   * Counts a failure; returns the event to record now when it opens a window (a verified
   * failure), or null when it is summed.
   */
  add(clientId: string, method: string, at: Date, limited: boolean): TimedAuditEvent | null {
    const now = at.getTime();
    const key = `${method}\n${clientId}`;
    const window = this.windows.get(key);
    if (window !== undefined && now - window.startedAt < FAILURE_WINDOW_MS) {
      window.lastAt = now;
      if (limited) window.limited += 1;
      else window.repeated += 1;
      return null;
    }
    if (this.windows.size >= MAX_KEYS && window === undefined) {
      this.addToOthers(clientId, method, now, limited);
      return null;
    }
    this.windows.set(key, {
      clientId,
      method,
      startedAt: now,
      lastAt: now,
      repeated: 0,
      limited: limited ? 1 : 0,
      ids: null,
    });
    return limited ? null : { event: failureEvent(clientId, method, { count: 1 }), at };
  }

  /** Summary events of the windows that ended by `now` (all of them with `all`). */
  drain(now: number, all = false): TimedAuditEvent[] {
    const events: TimedAuditEvent[] = [];
    for (const [key, window] of this.windows) {
      if (!all && now - window.startedAt < FAILURE_WINDOW_MS) continue;
      this.windows.delete(key);
      if (window.repeated === 0 && window.limited === 0) continue;
      events.push({
        event: failureEvent(window.clientId, window.method, {
          count: window.repeated + window.limited,
          ...(window.limited > 0 ? { refused_by_budget: window.limited } : {}),
          ...(window.ids === null ? {} : { distinct_client_ids: window.ids.size }),
          first_at: new Date(window.startedAt).toISOString(),
          last_at: new Date(window.lastAt).toISOString(),
        }),
        at: new Date(window.startedAt),
      });
    }
    return events;
  }

  private addToOthers(clientId: string, method: string, now: number, limited: boolean): void {
    const key = `${method}\n`;
    let others = this.windows.get(key);
    if (others === undefined || others.ids === null) {
      others = {
        clientId: null,
        method,
        startedAt: now,
        lastAt: now,
        repeated: 0,
        limited: 0,
        ids: new Set(),
      };
      this.windows.set(key, others);
    }
    others.lastAt = now;
    if (limited) others.limited += 1;
    else others.repeated += 1;
    if (others.ids!.size < 100_000) others.ids!.add(clientId);
  }
}

function failureEvent(
  clientId: string | null,
  method: string,
  details: Record<string, unknown>,
): M2mAuditEventInput {
  return {
    type: 'authentication.failed',
    clientId,
    ownerId: null,
    actor: { type: 'client', id: clientId },
    details: { method, ...details },
  };
}

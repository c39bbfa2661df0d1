import { decodeKeysetCursor, encodeKeysetCursor } from '../common/keyset-cursor.js';
import { storableText } from '../common/text.js';
import {
  M2M_AUDIT_EVENT_TYPES,
  type M2mAuditEvent,
  type M2mAuditEventInput,
  type M2mAuditEventType,
} from '../domain/audit-event.js';
import { checkFilter, FieldErrors } from '../errors/field-errors.js';
import type { AuditListPosition, StoredAuditEvent } from '../stores/audit-store.js';
import type { ClientUsage } from '../stores/client-store.js';

// The pure part of the audit log: queries, cursors, rows and usage records.

/** Query of {@link AuditLog.list}. */
export interface M2mAuditQuery {
  /** 1 to 100. @default 50 */
  limit?: number;
  cursor?: string;
  type?: string;
  clientId?: string;
  ownerId?: string;
  actorId?: string;
  since?: Date;
  until?: Date;
}

/** A page of audit events, newest first. */
export interface M2mAuditPage {
  data: M2mAuditEvent[];
  nextCursor: string | null;
}

/** Event ids are 32-bit integers on PostgreSQL (`serial`): a cursor cannot hold a larger one. */
const MAX_EVENT_ID = 2_147_483_647;

/** The cursor of the page that starts after `event`. */
export function encodeAuditCursor(event: { occurredAt: Date; id: number }): string {
  return encodeKeysetCursor(event.occurredAt, event.id);
}

/** The position a cursor stands for; null when it is not one this API returned. */
export function decodeAuditCursor(cursor: string): AuditListPosition | null {
  const position = decodeKeysetCursor(
    cursor,
    100,
    (key): key is number =>
      Number.isInteger(key) && (key as number) >= 0 && (key as number) <= MAX_EVENT_ID,
  );
  return position === null ? null : { occurredAt: position.at, id: position.key };
}

/** The row of an event; caller-chosen text is cut to its column and made storable. */
export function toRow(event: M2mAuditEventInput, occurredAt: Date): Omit<StoredAuditEvent, 'id'> {
  const text = (value: string | null | undefined, max: number) =>
    value == null ? null : storableText(value.slice(0, max));
  return {
    occurredAt,
    type: event.type,
    clientId: text(event.clientId, 64),
    ownerId: text(event.ownerId, 200),
    actorType: event.actor.type,
    actorId: text(event.actor.id, 200),
    details: event.details ?? null,
  };
}

/** Checks a query; returns the page size and the position after which it starts. */
export function checkAuditQuery(query: M2mAuditQuery): {
  limit: number;
  after: AuditListPosition | null;
} {
  const errors = new FieldErrors();
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    errors.add('limit', 'must be an integer from 1 to 100');
  }
  const after = query.cursor === undefined ? null : decodeAuditCursor(query.cursor);
  if (query.cursor !== undefined && after === null) {
    errors.add('cursor', 'is not a cursor returned by this API');
  }
  if (
    query.type !== undefined &&
    !M2M_AUDIT_EVENT_TYPES.includes(query.type as M2mAuditEventType)
  ) {
    errors.add('type', `must be one of ${M2M_AUDIT_EVENT_TYPES.join(', ')}`);
  }
  for (const [field, date] of [
    ['since', query.since],
    ['until', query.until],
  ] as const) {
    if (date !== undefined && Number.isNaN(date.getTime())) {
      errors.add(field, 'must be an RFC 3339 date-time');
    }
  }
  checkFilter(errors, 'client_id', query.clientId);
  checkFilter(errors, 'owner_id', query.ownerId);
  checkFilter(errors, 'actor_id', query.actorId);
  errors.throwIfAny();
  return { limit, after };
}

/** An event as the services return it. */
export function toAuditEvent(row: StoredAuditEvent): M2mAuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt,
    type: row.type as M2mAuditEventType,
    clientId: row.clientId,
    ownerId: row.ownerId,
    actor: { type: row.actorType as M2mAuditEvent['actor']['type'], id: row.actorId },
    details: row.details,
  };
}

/** Two usage records of one client, added up; each instant is the later of the two. */
export function mergeUsage(a: ClientUsage, b: ClientUsage): ClientUsage {
  const later = (x: Date | null, y: Date | null) =>
    x === null ? y : y === null ? x : x > y ? x : y;
  return {
    tokens: a.tokens + b.tokens,
    lastUsedAt: later(a.lastUsedAt, b.lastUsedAt)!,
    currentSecretUsedAt: later(a.currentSecretUsedAt, b.currentSecretUsedAt),
    nextSecretUsedAt: later(a.nextSecretUsedAt, b.nextSecretUsedAt),
  };
}

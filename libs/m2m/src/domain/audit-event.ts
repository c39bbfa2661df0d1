/** What an audit event records. */
export type M2mAuditEventType =
  | 'client.created'
  | 'client.updated'
  | 'client.disabled'
  | 'client.enabled'
  | 'client.deleted'
  | 'secret.rotation_started'
  | 'secret.rotation_completed'
  | 'secret.rotation_cancelled'
  | 'token.issued'
  | 'token.revoked'
  | 'authentication.failed'
  | 'signing_key.rotated';

/** Every audit event type, for validation and documentation. */
export const M2M_AUDIT_EVENT_TYPES: readonly M2mAuditEventType[] = [
  'client.created',
  'client.updated',
  'client.disabled',
  'client.enabled',
  'client.deleted',
  'secret.rotation_started',
  'secret.rotation_completed',
  'secret.rotation_cancelled',
  'token.issued',
  'token.revoked',
  'authentication.failed',
  'signing_key.rotated',
];

/** Who did it. */
export interface M2mActor {
  /** `admin` (admin API), `owner` (owner API), `client` (token endpoint), `cli`, `system`. */
  type: 'admin' | 'owner' | 'client' | 'cli' | 'system';
  /** The admin client id, the owner id, the client id; null when unknown. */
  id: string | null;
}

/** An event to record. Details never carry a secret or a token. */
export interface M2mAuditEventInput {
  type: M2mAuditEventType;
  clientId: string | null;
  ownerId: string | null;
  actor: M2mActor;
  details?: Record<string, unknown>;
}

/** An audit event as the services return it. */
export interface M2mAuditEvent {
  id: number;
  occurredAt: Date;
  type: M2mAuditEventType;
  clientId: string | null;
  ownerId: string | null;
  actor: M2mActor;
  details: Record<string, unknown> | null;
}

/** The actor of calls that do not say who they are. */
export const SYSTEM_ACTOR: M2mActor = { type: 'system', id: null };

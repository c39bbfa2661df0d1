import type { M2mActor } from './audit-event.js';

/** Who is calling, and within which owner's clients (for owner-scoped APIs). */
export interface M2mCallContext {
  /** Recorded in the audit log. @default system */
  actor?: M2mActor;
  /** Restrict the call to this owner's clients: others are "not found". */
  ownerId?: string;
  /** Scopes the caller may give a client; any scope when absent. */
  allowedScopes?: readonly string[];
  /** Audiences (resources) the caller may give a client; any configured one when absent. */
  allowedAudiences?: readonly string[];
}

import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { M2mCallContext } from '../domain/call-context.js';
import { ownerIdOf } from '../guards/owner-access.guard.js';
import type { M2mOwnerApiOptions } from '../options/module-extras.js';

/** The owner the host's guard identified (the owner access guard guarantees there is one). */
export const OwnerId = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  ownerIdOf(context.switchToHttp().getRequest<Record<string, unknown>>())!,
);

/**
 * An owner API call: confined to the owner's clients, granting only the owner policy's scopes
 * and audiences, audited with the owner as the actor.
 */
export function ownerCallContext(ownerId: string, options: M2mOwnerApiOptions): M2mCallContext {
  return {
    actor: { type: 'owner', id: ownerId },
    ownerId,
    allowedScopes: options.scopes,
    allowedAudiences: options.audiences ?? [],
  };
}

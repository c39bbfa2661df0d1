import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { M2mCallContext } from '../domain/call-context.js';
import type { M2mPrincipal } from '../domain/principal.js';
import { PRINCIPAL_REQUEST_PROPERTY } from '../m2m.internal-constants.js';

/**
 * The call context of an admin request: the actor is the admin client that authenticated
 * (null when a host-supplied guard let the request in without one).
 */
export const AdminContext = createParamDecorator(
  (_data: unknown, context: ExecutionContext): M2mCallContext => {
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    const principal = request[PRINCIPAL_REQUEST_PROPERTY] as M2mPrincipal | undefined;
    return { actor: { type: 'admin', id: principal?.clientId ?? null } };
  },
);

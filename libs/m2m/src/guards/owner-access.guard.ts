import {
  ForbiddenException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { isOwnerId } from '../clients/client-validation.js';
import { M2M_OWNER_GUARD, M2M_OWNER_REQUEST_PROPERTY } from '../m2m.constants.js';

/** The owner id the host's guard put on the request, if it is a usable one. */
export function ownerIdOf(request: Record<string, unknown>): string | undefined {
  const ownerId = request[M2M_OWNER_REQUEST_PROPERTY];
  return isOwnerId(ownerId) ? ownerId : undefined;
}

/**
 * Guards the owner API: the host's guard (`M2M_OWNER_GUARD`) must let the request in and put
 * the caller's owner id in `request.m2mOwnerId`. Fails closed: no owner id, no access.
 */
@Injectable()
export class OwnerAccessGuard implements CanActivate {
  constructor(@Inject(M2M_OWNER_GUARD) private readonly delegate: CanActivate) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if ((await this.delegate.canActivate(context)) !== true) return false;
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    if (ownerIdOf(request) === undefined) {
      throw new ForbiddenException('The owner guard did not identify an owner.');
    }
    return true;
  }
}

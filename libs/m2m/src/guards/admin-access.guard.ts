import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { M2M_ADMIN_GUARD, M2M_ADMIN_SCOPE } from '../m2m.constants.js';
import { M2mAuthGuard } from './m2m-auth.guard.js';

/** The default admin guard: a valid bearer token that carries the `m2m:admin` scope. */
@Injectable()
export class M2mAdminScopeGuard extends M2mAuthGuard {
  override requiredScopes(context: ExecutionContext): string[] {
    return [...new Set([M2M_ADMIN_SCOPE, ...super.requiredScopes(context)])];
  }
}

/**
 * Guards the admin API by delegating to the configured admin guard (`M2M_ADMIN_GUARD`), so
 * that the guard can be replaced without touching route metadata.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(@Inject(M2M_ADMIN_GUARD) private readonly delegate: CanActivate) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Fail closed: anything but a literal true denies.
    return (await this.delegate.canActivate(context)) === true;
  }
}

import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiBearerErrors } from '../http/bearer-responses.decorator.js';
import { M2mAuthGuard } from '../guards/m2m-auth.guard.js';
import { M2M_SECURITY_SCHEME } from '../m2m.constants.js';
import { REQUIRED_SCOPES_METADATA } from '../m2m.internal-constants.js';

/**
 * Protects a handler or a controller with an M2M access token that carries every listed scope.
 * With no scopes, any valid token is accepted. On both a controller and a handler, the scopes of
 * both are required.
 *
 * @example
 * ```ts
 * @RequireScopes('orders:read')
 * @Get('orders')
 * list(@M2mClient() client: M2mPrincipal) { … }
 * ```
 */
export function RequireScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPES_METADATA, scopes),
    UseGuards(M2mAuthGuard),
    ApiSecurity(M2M_SECURITY_SCHEME, scopes),
    // 403 only where a scope is required: any valid token passes `@RequireScopes()`.
    ApiBearerErrors(scopes),
  );
}

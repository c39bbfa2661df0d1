import { createParamDecorator, Logger, type ExecutionContext } from '@nestjs/common';
import { BearerTokenError } from '../http/bearer-token.error.js';
import type { M2mPrincipal } from '../domain/principal.js';
import { PRINCIPAL_REQUEST_PROPERTY } from '../m2m.internal-constants.js';

const logger = new Logger('M2mClient');

/**
 * Injects the calling client's principal, or one of its fields. Use it on routes protected by
 * `@RequireScopes()`. Without the guard there is no principal and the request is denied (401).
 *
 * @example
 * ```ts
 * whoami(@M2mClient() client: M2mPrincipal, @M2mClient('clientId') id: string) { … }
 * ```
 */
export const M2mClient = createParamDecorator(
  (field: keyof M2mPrincipal | undefined, context: ExecutionContext) => {
    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    const principal = request[PRINCIPAL_REQUEST_PROPERTY] as M2mPrincipal | undefined;
    if (principal === undefined) {
      logger.error(
        `@M2mClient() on ${context.getClass().name}.${context.getHandler().name} has no principal: add @RequireScopes() to the route.`,
      );
      throw BearerTokenError.missing();
    }
    return field === undefined ? principal : principal[field];
  },
);

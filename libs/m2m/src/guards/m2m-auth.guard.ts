import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { bearerChallenge, BearerTokenError } from '../errors/bearer-token.error.js';
import {
  M2M_GUARD_OPTIONS,
  PRINCIPAL_REQUEST_PROPERTY,
  REQUIRED_SCOPES_METADATA,
} from '../m2m.internal-constants.js';
import type { M2mGuardOptions } from './m2m-principal.js';
import { M2mBearerStrategy, m2mPassport } from './bearer.strategy.js';
import type { M2mPrincipal } from './m2m-principal.js';

type PrincipalRequest = Record<string, unknown> & {
  [PRINCIPAL_REQUEST_PROPERTY]?: M2mPrincipal;
};

/**
 * Authenticates the bearer token and checks the scopes that `@RequireScopes()` lists on the
 * handler and its controller (all of them are required). On success `request.m2mClient` holds
 * the principal. Fails closed: any error denies the request.
 */
@Injectable()
export class M2mAuthGuard implements CanActivate {
  constructor(
    private readonly strategy: M2mBearerStrategy,
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(M2M_GUARD_OPTIONS) private readonly options: M2mGuardOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PrincipalRequest>();
    try {
      // A controller-level and a handler-level @RequireScopes() both run this guard: verify once.
      const principal =
        request[PRINCIPAL_REQUEST_PROPERTY] ??
        (await this.authenticate(request, http.getResponse()));
      request[PRINCIPAL_REQUEST_PROPERTY] = principal;
      this.checkScopes(context, principal);
      return true;
    } catch (error) {
      const failure =
        error instanceof BearerTokenError ? error : BearerTokenError.invalid('verification failed');
      this.adapterHost.httpAdapter.setHeader(
        http.getResponse(),
        'WWW-Authenticate',
        bearerChallenge(this.options.realm, failure),
      );
      throw failure;
    }
  }

  /** Scopes required by `@RequireScopes()` on the handler and its class. */
  requiredScopes(context: ExecutionContext): string[] {
    const scopes = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    return [...new Set(scopes)];
  }

  private checkScopes(context: ExecutionContext, principal: M2mPrincipal): void {
    const required = this.requiredScopes(context);
    if (!required.every((scope) => principal.scopes.includes(scope))) {
      throw BearerTokenError.insufficientScope(required);
    }
  }

  private authenticate(request: object, response: object): Promise<M2mPrincipal> {
    return new Promise((resolve, reject) => {
      // A fresh object per request: passport attaches its per-request callbacks to it.
      const strategy = Object.create(this.strategy) as M2mBearerStrategy;
      const callback = (
        error: unknown,
        principal: M2mPrincipal | false,
        _info: unknown,
        status?: number,
      ) => {
        if (error) return reject(error);
        if (principal) return resolve(principal);
        reject(
          status === 400
            ? BearerTokenError.malformed('bad Authorization header')
            : BearerTokenError.missing(),
        );
      };
      m2mPassport.authenticate(strategy, { session: false }, callback)(request, response, reject);
    });
  }
}

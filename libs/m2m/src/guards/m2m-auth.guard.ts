import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { M2mPrincipal } from '../domain/principal.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import {
  bearerChallenge,
  BearerTokenError,
  type M2mGuardOptions,
} from '../http/bearer-token.error.js';
import {
  M2M_GUARD_OPTIONS,
  PRINCIPAL_REQUEST_PROPERTY,
  REQUIRED_SCOPES_METADATA,
} from '../m2m.internal-constants.js';
import { M2mMetrics } from '../metrics/m2m-metrics.js';
import { requireScopes } from '../verification/access-token-claims.js';
import { M2mBearerStrategy } from './bearer.strategy.js';

type PrincipalRequest = Record<string, unknown> & {
  headers: { authorization?: string | string[] };
  [PRINCIPAL_REQUEST_PROPERTY]?: M2mPrincipal;
};

/** The outcome callbacks that passport-strategy's contract gives a strategy for one request. */
interface StrategyAttempt {
  success(principal: M2mPrincipal): void;
  fail(challengeOrStatus?: unknown): void;
  error(error: unknown): void;
  authenticate(request: object): void;
}

const NO_METRICS = new M2mMetrics();

/** The RFC 6750 answer to a failed check; anything unexpected denies as an invalid token. */
function bearerFailure(error: unknown): BearerTokenError {
  if (error instanceof BearerTokenError) return error;
  if (error instanceof AccessTokenError) return BearerTokenError.fromAccessTokenError(error);
  return BearerTokenError.invalid('verification failed');
}

/**
 * Authenticates the bearer token and checks the scopes that `@RequireScopes()` lists on the
 * handler and its controller (all of them are required). On success `request.m2mClient` holds
 * the principal. Fails closed: any error denies the request.
 *
 * The token is read and verified by the passport-http-bearer strategy (`M2mBearerStrategy`,
 * Authorization header only), called the way passport calls a strategy, without passport's
 * middleware around it on every request.
 */
@Injectable()
export class M2mAuthGuard implements CanActivate {
  /** Required scopes per controller class and handler: metadata does not change at run time. */
  private readonly scopesByClass = new WeakMap<object, WeakMap<object, string[]>>();

  /** @internal Built by Nest's injector; its parameters are not part of the public API. */
  constructor(
    private readonly strategy: M2mBearerStrategy,
    private readonly reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(M2M_GUARD_OPTIONS) private readonly options: M2mGuardOptions,
    @Optional() private readonly metrics: M2mMetrics = NO_METRICS,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PrincipalRequest>();
    try {
      // A controller-level and a handler-level @RequireScopes() both run this guard: verify once.
      const principal = request[PRINCIPAL_REQUEST_PROPERTY] ?? (await this.authenticate(request));
      request[PRINCIPAL_REQUEST_PROPERTY] = principal;
      requireScopes(principal, this.requiredScopes(context));
      return true;
    } catch (error) {
      const failure = bearerFailure(error);
      this.metrics.guardRejected(failure.error ?? 'missing');
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
    const type = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.scopesByClass.get(type);
    if (byHandler === undefined) {
      byHandler = new WeakMap();
      this.scopesByClass.set(type, byHandler);
    }
    let scopes = byHandler.get(handler);
    if (scopes === undefined) {
      const declared = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_METADATA, [
        handler,
        type,
      ]);
      scopes = [...new Set(declared)];
      byHandler.set(handler, scopes);
    }
    return scopes;
  }

  private authenticate(request: PrincipalRequest): Promise<M2mPrincipal> {
    return new Promise((resolve, reject) => {
      // A fresh object per request, as passport makes: the strategy reports through it.
      const attempt = Object.create(this.strategy) as StrategyAttempt;
      attempt.success = resolve;
      attempt.error = reject;
      // passport-strategy: fail(400) is a malformed request, fail(challenge) means no token.
      attempt.fail = (challengeOrStatus) =>
        reject(
          challengeOrStatus === 400
            ? BearerTokenError.malformed('bad Authorization header')
            : BearerTokenError.missing(),
        );
      attempt.authenticate(request);
    });
  }
}

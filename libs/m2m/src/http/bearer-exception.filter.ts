import { Catch, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { escapeControlCharacters } from '../common/text.js';
import { M2M_GUARD_OPTIONS } from '../m2m.internal-constants.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import { bearerChallenge, BearerTokenError, type M2mGuardOptions } from './bearer-token.error.js';
import { PROBLEM_JSON, statusProblem, type ProblemDetails } from '../errors/problem-details.js';

/** The problem details body for a failed bearer check, with the RFC 6750 error code. */
export function bearerProblem(error: BearerTokenError): ProblemDetails {
  return {
    ...statusProblem(error.getStatus(), error.description),
    ...(error.error === null ? {} : { error: error.error }),
  };
}

/**
 * Renders `BearerTokenError` on any route: the RFC 6750 §3 `WWW-Authenticate` challenge and an
 * RFC 9457 problem details body. An `AccessTokenError` that a host's handler lets escape (from
 * `TokenVerifier` or `createAccessTokenVerifier`) gets the same answer as the guard would give.
 * Registered globally by `M2mModule`; it catches nothing else.
 */
@Catch(BearerTokenError, AccessTokenError)
export class BearerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('M2mGuard');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(M2M_GUARD_OPTIONS) private readonly options: M2mGuardOptions,
  ) {}

  catch(exception: BearerTokenError | AccessTokenError, host: ArgumentsHost): void {
    const error =
      exception instanceof AccessTokenError
        ? BearerTokenError.fromAccessTokenError(exception)
        : exception;
    if (error.detail !== undefined)
      this.logger.debug(`${error.error ?? 'no token'}: ${escapeControlCharacters(error.detail)}`);
    const adapter = this.adapterHost.httpAdapter;
    const response = host.switchToHttp().getResponse<object>();
    adapter.setHeader(response, 'WWW-Authenticate', bearerChallenge(this.options.realm, error));
    adapter.setHeader(response, 'Content-Type', PROBLEM_JSON);
    adapter.reply(response, bearerProblem(error), error.getStatus());
  }
}

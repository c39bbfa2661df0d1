import {
  Catch,
  HttpException,
  Inject,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { escapeControlCharacters } from '../common/text.js';
import { M2M_GUARD_OPTIONS } from '../m2m.internal-constants.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import { BearerExceptionFilter } from '../http/bearer-exception.filter.js';
import { BearerTokenError, type M2mGuardOptions } from '../http/bearer-token.error.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
} from '../errors/database-unavailable.js';
import {
  InvalidClientError,
  InvalidRequestError,
  MethodNotAllowedError,
  OAuthError,
  ServerError,
  TemporarilyUnavailableError,
} from '../errors/oauth.error.js';

/** The answer while the database cannot be reached: 503 with `Retry-After`. */
export function databaseUnavailableError(detail?: string): TemporarilyUnavailableError {
  return new TemporarilyUnavailableError(
    DATABASE_RETRY_AFTER_SECONDS,
    'The server is temporarily unable to handle the request.',
    503,
    detail,
  );
}

/**
 * A client error the framework raised before our code ran (e.g. an oversized body, or the 404
 * of a switched-off endpoint): `invalid_request` with the framework's status.
 */
export function frameworkRejectionError(status: number, detail?: string): OAuthError {
  const error = new InvalidRequestError('The request could not be processed.', detail);
  return Object.assign(error, { status });
}

/** RFC 6749 §5.2: the challenge of a 401 to a client that authenticated with HTTP Basic. */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm}", charset="UTF-8"`;
}

/** Maps anything thrown at the token endpoint to an RFC 6749 §5.2 error response. */
function toOAuthError(exception: unknown): OAuthError {
  if (exception instanceof OAuthError) return exception;
  if (isDatabaseUnavailable(exception)) {
    return databaseUnavailableError(
      `database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`,
    );
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    return frameworkRejectionError(exception.getStatus(), exception.message);
  }
  return new ServerError(exception instanceof Error ? exception.message : String(exception));
}

/**
 * Renders token endpoint errors as RFC 6749 §5.2 JSON, with `Cache-Control: no-store` and
 * `Pragma: no-cache` (§5.1) and a Basic challenge on 401 when the client used Basic (§5.2).
 */
@Catch()
export class OAuthExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('M2mTokenEndpoint');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly bearerFilter: BearerExceptionFilter,
    // The realm of the module's challenges, as the guard's options carry it.
    @Inject(M2M_GUARD_OPTIONS) private readonly options: M2mGuardOptions,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // A missing or bad bearer token (registration endpoints) gets its RFC 6750 answer.
    if (exception instanceof BearerTokenError || exception instanceof AccessTokenError) {
      return this.bearerFilter.catch(exception, host);
    }
    const error = toOAuthError(exception);
    this.log(error, exception);
    const adapter = this.adapterHost.httpAdapter;
    const response = host.switchToHttp().getResponse<object>();
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    adapter.setHeader(response, 'Pragma', 'no-cache');
    if (error instanceof InvalidClientError && error.usedBasic) {
      adapter.setHeader(response, 'WWW-Authenticate', basicChallenge(this.options.realm));
    }
    if (error instanceof MethodNotAllowedError) {
      adapter.setHeader(response, 'Allow', error.allow.join(', '));
    }
    if (error instanceof TemporarilyUnavailableError) {
      adapter.setHeader(response, 'Retry-After', String(error.retryAfterSeconds));
    }
    adapter.reply(response, error.toBody(), error.status);
  }

  /** Private details may quote what the caller sent: control characters are escaped. */
  private log(error: OAuthError, exception: unknown): void {
    const detail = escapeControlCharacters(error.detail ?? '');
    if (error instanceof TemporarilyUnavailableError && error.status === 503 && error.detail) {
      this.logger.warn(`Token request refused for now: ${detail}`);
    } else if (error instanceof ServerError) {
      this.logger.error(
        `Token request failed: ${detail}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    } else if (error instanceof InvalidClientError && !error.limited) {
      this.logger.warn(`invalid_client: ${detail}`);
    } else {
      this.logger.debug(`${error.error}: ${detail || error.description}`);
    }
  }
}

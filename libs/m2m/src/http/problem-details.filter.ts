import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { M2mProblemError } from '../errors/admin.error.js';
import { BearerExceptionFilter } from '../http/bearer-exception.filter.js';
import { BearerTokenError } from '../http/bearer-token.error.js';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
} from '../errors/database-unavailable.js';
import { PROBLEM_JSON, statusProblem, type ProblemDetails } from '../errors/problem-details.js';

function httpProblem(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const message =
    typeof body === 'object' && body !== null && 'message' in body ? body.message : body;
  return statusProblem(status, typeof message === 'string' ? message : undefined);
}

/** The answer of the admin and owner APIs while the database cannot be reached. */
export function databaseUnavailableProblem(): ProblemDetails {
  return statusProblem(503, 'The database is unavailable; retry later.');
}

/**
 * Renders every error of the admin API as RFC 9457 `application/problem+json`. Unexpected
 * errors become a bare 500 problem; their details are logged, never sent.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('M2mAdmin');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly bearerFilter: BearerExceptionFilter,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof BearerTokenError) return this.bearerFilter.catch(exception, host);
    const problem = this.toProblem(exception);
    const adapter = this.adapterHost.httpAdapter;
    const response = host.switchToHttp().getResponse<object>();
    adapter.setHeader(response, 'Content-Type', PROBLEM_JSON);
    if (problem.status === 503) {
      adapter.setHeader(response, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    }
    adapter.reply(response, problem, problem.status);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof M2mProblemError) return exception.toProblem();
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return httpProblem(exception);
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(
        `Admin request refused for now: database unavailable (${exception instanceof Error ? exception.message : String(exception)})`,
      );
      return databaseUnavailableProblem();
    }
    this.logger.error(
      'Admin request failed',
      exception instanceof Error ? exception.stack : String(exception),
    );
    return statusProblem(500, 'The server could not handle the request.');
  }
}

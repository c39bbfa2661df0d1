import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PROBLEM_JSON } from '../errors/problem-details.js';

/** The module's routes: the OAuth endpoints, and the admin and owner APIs. */
const MODULE_PATH = /^\/(oauth2|m2m)\//;
const DETAIL = 'The request path is not valid percent-encoding.';

type ErrorHandler = (
  error: { status?: number; message?: string },
  request: IncomingMessage & { originalUrl?: string },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * A path under the module's routes that cannot be percent-decoded (`/m2m/clients/%ZZ`) fails in
 * Express's router, before any controller and its exception filter, so the application's generic
 * error body would answer it. On Express this installs, between the routes and Nest's own error
 * handler (module initialisation is that moment), a handler that answers with the module's
 * formats instead: RFC 6749 §5.2 for the OAuth endpoints, RFC 9457 for the others. Every other
 * error goes on unchanged.
 */
@Injectable()
export class UndecodablePathHandler implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'express') return;
    (adapter.getInstance() as { use(handler: ErrorHandler): void }).use(answerUndecodablePath);
  }
}

const answerUndecodablePath: ErrorHandler = (error, request, response, next) => {
  const path = (request.originalUrl ?? request.url ?? '').split('?', 1)[0]!;
  const undecodable =
    error instanceof URIError ||
    (error?.status === 400 && /^Failed to decode param/.test(error.message ?? ''));
  if (!undecodable || !MODULE_PATH.test(path) || response.headersSent) return next(error);
  const oauth = path.startsWith('/oauth2/');
  response.statusCode = 400;
  response.setHeader(
    'Content-Type',
    oauth ? 'application/json; charset=utf-8' : `${PROBLEM_JSON}; charset=utf-8`,
  );
  response.setHeader('Cache-Control', 'no-store');
  if (oauth) response.setHeader('Pragma', 'no-cache');
  response.end(
    JSON.stringify(
      oauth
        ? { error: 'invalid_request', error_description: DETAIL }
        : { type: 'about:blank', title: 'Bad Request', status: 400, detail: DETAIL },
    ),
  );
};

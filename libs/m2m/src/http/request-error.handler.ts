import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  requestErrorAnswer,
  requestErrorKind,
  type M2mRequestErrorKind,
  type RequestErrorAnswer,
} from './request-errors.js';

type ExpressErrorHandler = (
  error: unknown,
  request: IncomingMessage & { originalUrl?: string },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

interface FastifyLike {
  addHook(
    name: 'onError',
    hook: (request: object, reply: object, error: unknown) => Promise<void>,
  ): void;
  addHook(
    name: 'onSend',
    hook: (request: object, reply: FastifyReplyLike, payload: unknown) => Promise<unknown>,
  ): void;
}

interface FastifyReplyLike {
  code(status: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
}

/** The kind of request error a Fastify request failed with, set by the `onError` hook. */
const FAILED_WITH = Symbol('m2m.requestError');

/**
 * Errors that happen before any controller runs (a body that cannot be parsed, is too large or
 * has too many parameters, an unsupported media type, a path that is not valid percent-encoding)
 * never reach the module's exception filters, so the application's generic answer would go out.
 * On the module's routes this gives them the module's formats instead: RFC 6749 §5.2
 * `invalid_request` on the OAuth endpoints, an RFC 9457 problem on the admin and owner APIs.
 * Nothing of the parser's message is sent back; every other error and route is left alone.
 *
 * - Express: an error handler after the routes and before Nest's own (module initialisation is
 *   that moment).
 * - Fastify: an `onError` hook notes the kind of error, and an `onSend` hook replaces the answer
 *   of Nest's error handler. Paths that are not valid percent-encoding fail in Fastify's router,
 *   before any hook: `m2mFastifyFrameworkErrors` covers them.
 */
@Injectable()
export class RequestErrorHandler implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    // None in an application context (the CLI).
    if (adapter == null) return;
    switch (adapter.getType()) {
      case 'express':
        (adapter.getInstance() as { use(handler: ExpressErrorHandler): void }).use(answerOnExpress);
        break;
      case 'fastify':
        answerOnFastify(adapter.getInstance() as FastifyLike);
        break;
    }
  }
}

function write(response: ServerResponse, answer: RequestErrorAnswer): void {
  response.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.end(JSON.stringify(answer.body));
}

const answerOnExpress: ExpressErrorHandler = (error, request, response, next) => {
  const kind = requestErrorKind(error);
  const answer =
    kind === undefined || response.headersSent
      ? undefined
      : requestErrorAnswer(kind, request.originalUrl ?? request.url ?? '');
  if (answer === undefined) return next(error);
  write(response, answer);
};

function answerOnFastify(fastify: FastifyLike): void {
  fastify.addHook('onError', async (request, _reply, error) => {
    const kind = requestErrorKind(error);
    if (kind !== undefined)
      (request as { [FAILED_WITH]?: M2mRequestErrorKind })[FAILED_WITH] = kind;
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    const kind = (request as { [FAILED_WITH]?: M2mRequestErrorKind })[FAILED_WITH];
    if (kind === undefined) return payload;
    const answer = requestErrorAnswer(kind, (request as { url?: string }).url ?? '');
    if (answer === undefined) return payload;
    reply.code(answer.status);
    for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
    return JSON.stringify(answer.body);
  });
}

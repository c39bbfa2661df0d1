import type { INestApplication } from '@nestjs/common';
import { parse as parseQueryString } from 'node:querystring';
import { M2mBodyParseError } from './request-errors.js';

/** Options of {@link configureM2mHttp}. */
export interface M2mHttpOptions {
  /** Largest request body accepted, in bytes; token and admin requests are tiny. @default 16384 */
  bodyLimit?: number;
  /** Most parameters a form body may hold; past that the answer is 400. @default 100 */
  parameterLimit?: number;
}

type BodyParsingApp = {
  useBodyParser(type: string, ...rest: unknown[]): unknown;
};

/** A body parser as Nest's Fastify adapter runs it: the promise's value is the body. */
type FastifyParser = (request: unknown, body: Buffer) => Promise<unknown>;

/** The module's form parser on Fastify: flat (repeated names become arrays), with a limit. */
function formParser(parameterLimit: number): FastifyParser {
  return async (_request, body) => {
    const text = body.toString('utf8');
    if (text === '') return {};
    if (text.split('&').length > parameterLimit) throw new M2mBodyParseError('too_many_parameters');
    return { ...parseQueryString(text, '&', '=', { maxKeys: 0 }) };
  };
}

/**
 * The module's JSON parser on Fastify, strict like Express's: an empty body is an empty object,
 * a top level other than an object or array is unparsable.
 */
function jsonParser(): FastifyParser {
  return async (_request, body) => {
    const text = body.toString('utf8');
    if (text.trim() === '') return {};
    if (!/^[\s]*[[{]/.test(text)) throw new M2mBodyParseError('unparsable');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new M2mBodyParseError('unparsable');
    }
  };
}

/**
 * Sets up request parsing for the module's endpoints on Express or Fastify, before `app.init()`
 * or `app.listen()`: JSON and form bodies up to `bodyLimit` bytes, forms of at most
 * `parameterLimit` parameters, the same on both platforms. Bodies the parsers refuse get the
 * RFC answers on the module's routes (the module installs that itself, whatever the parsers).
 *
 * Create the application with `{ bodyParser: false }`: Nest's default parsers would otherwise
 * read the body first, with their own limits.
 *
 * @example
 * ```ts
 * const app = await NestFactory.create(AppModule, { bodyParser: false });
 * configureM2mHttp(app);
 * await app.listen(3000);
 * ```
 */
export function configureM2mHttp(app: INestApplication, options: M2mHttpOptions = {}): void {
  const bodyLimit = options.bodyLimit ?? 16 * 1024;
  const parameterLimit = options.parameterLimit ?? 100;
  const adapter = app.getHttpAdapter();
  const parsing = app as unknown as BodyParsingApp;
  switch (adapter.getType()) {
    case 'express':
      parsing.useBodyParser('json', { limit: bodyLimit });
      parsing.useBodyParser('urlencoded', { limit: bodyLimit, extended: true, parameterLimit });
      break;
    case 'fastify':
      parsing.useBodyParser('application/json', { bodyLimit }, jsonParser());
      parsing.useBodyParser(
        'application/x-www-form-urlencoded',
        { bodyLimit },
        formParser(parameterLimit),
      );
      break;
    default:
      throw new Error(
        `configureM2mHttp: the ${adapter.getType()} platform is not supported; use Express or Fastify.`,
      );
  }
}

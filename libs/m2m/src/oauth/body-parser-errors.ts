import type { ErrorRequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';
import { INTROSPECTION_PATH, REVOCATION_PATH, TOKEN_PATH } from './server-metadata.js';

const OAUTH_URL = new RegExp(
  `^/(${[TOKEN_PATH, INTROSPECTION_PATH, REVOCATION_PATH].join('|')}|oauth2/register(/[^/?]+)?)/?(\\?|$)`,
);

interface ParserError {
  status?: number;
  type?: string;
}

/** The answer's status and description for a body-parser error. */
function describe(error: ParserError): { code: 400 | 413; description: string } {
  // body-parser says 413 for too many parameters too, but the body is not too large for that.
  if (error.type === 'parameters.too.many') {
    return { code: 400, description: 'The request has too many parameters.' };
  }
  return error.status === 413
    ? { code: 413, description: 'The request body is too large.' }
    : { code: 400, description: 'The request body cannot be parsed.' };
}

/**
 * Express error handler (register it after the body parsers, with `app.use()`) for request bodies that cannot be parsed (malformed JSON, too large,
 * unsupported charset). They fail before Nest's routing, so without it Express would answer
 * with an HTML page. The OAuth endpoints get their RFC 6749 §5.2 error, everything else an
 * RFC 9457 problem. Nothing of the parser's message is sent back.
 */
export function m2mBodyParserErrorHandler(): ErrorRequestHandler {
  return (error: ParserError, request, response, next) => {
    const status = error.status;
    if (response.headersSent || status === undefined || status < 400 || status >= 500) {
      return next(error);
    }
    const { code, description } = describe(error);
    if (OAUTH_URL.test(request.originalUrl)) {
      response
        .status(code)
        .set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' })
        .json({ error: 'invalid_request', error_description: description });
      return;
    }
    response
      .status(code)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'about:blank',
          title: STATUS_CODES[code],
          status: code,
          detail: description,
        }),
      );
  };
}

import type { ArgumentsHost } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { AccessTokenError } from '../errors/access-token.error.js';
import { BearerExceptionFilter } from './bearer-exception.filter.js';
import { BearerTokenError } from './bearer-token.error.js';

/** What the filter writes for `exception`: status, headers and body. */
function rendered(exception: BearerTokenError | AccessTokenError) {
  const answer = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const adapter = {
    setHeader: (_response: object, name: string, value: string) => {
      answer.headers[name] = value;
    },
    reply: (_response: object, body: unknown, status: number) => {
      answer.body = body;
      answer.status = status;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => ({}) }) } as unknown as ArgumentsHost;
  new BearerExceptionFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost, {
    realm: 'api',
  }).catch(exception, host);
  return answer;
}

describe('BearerExceptionFilter', () => {
  it('answers an AccessTokenError that escaped a handler exactly as the guard answers it', () => {
    expect(rendered(new AccessTokenError('invalid_token', 'ERR_JWT_EXPIRED'))).toEqual(
      rendered(BearerTokenError.invalid('ERR_JWT_EXPIRED')),
    );
    expect(rendered(new AccessTokenError('insufficient_scope', 'x', ['a']))).toEqual(
      rendered(BearerTokenError.insufficientScope(['a'])),
    );
  });

  it('renders RFC 6750 §3: the challenge, a problem details body, the status', () => {
    expect(rendered(new AccessTokenError('invalid_token', 'private detail'))).toEqual({
      status: 401,
      headers: {
        'WWW-Authenticate':
          'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired."',
        'Content-Type': 'application/problem+json',
      },
      body: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'The access token is invalid or has expired.',
        error: 'invalid_token',
      },
    });
  });
});

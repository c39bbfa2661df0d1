import { AccessTokenError } from '../errors/access-token.error.js';
import { bearerChallenge, BearerTokenError } from './bearer-token.error.js';

describe('RFC 6750 §3 challenges', () => {
  it('no token: the realm only, no error code', () => {
    expect(bearerChallenge('m2m', BearerTokenError.missing())).toBe('Bearer realm="m2m"');
  });

  it('malformed request', () => {
    expect(bearerChallenge('m2m', BearerTokenError.malformed('x'))).toBe(
      'Bearer realm="m2m", error="invalid_request", error_description="The Authorization header is malformed."',
    );
  });

  it('invalid token, with the cause kept private', () => {
    const error = BearerTokenError.invalid('ERR_JWT_EXPIRED');
    expect(bearerChallenge('api', error)).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is invalid or has expired."',
    );
    expect(error.getResponse()).toEqual({
      error: 'invalid_token',
      error_description: 'The access token is invalid or has expired.',
    });
  });

  it('insufficient scope names every required scope', () => {
    const error = BearerTokenError.insufficientScope(['reports:read', 'reports:write']);
    expect([error.getStatus(), bearerChallenge('m2m', error)]).toEqual([
      403,
      'Bearer realm="m2m", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="reports:read reports:write"',
    ]);
  });

  it('insufficient_scope with scope="a b", exactly', () => {
    expect(bearerChallenge('m2m', BearerTokenError.insufficientScope(['a', 'b']))).toBe(
      'Bearer realm="m2m", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="a b"',
    );
  });

  it('no token: 401 without an error code in the challenge (RFC 6750 §3.1)', () => {
    const error = BearerTokenError.missing();
    expect([error.getStatus(), error.error, error.scope]).toEqual([401, null, undefined]);
    expect(bearerChallenge('m2m', error)).not.toMatch(/error/);
  });

  it('only insufficient_scope carries a scope attribute', () => {
    for (const error of [
      BearerTokenError.missing(),
      BearerTokenError.malformed('x'),
      BearerTokenError.invalid('x'),
    ]) {
      expect(bearerChallenge('m2m', error)).not.toContain('scope=');
    }
  });

  it('keeps the private detail out of the challenge and the body', () => {
    const error = BearerTokenError.invalid('signature failed for kid secret-kid');
    expect(bearerChallenge('m2m', error)).not.toContain('secret-kid');
    expect(JSON.stringify(error.getResponse())).not.toContain('secret-kid');
    expect(error.detail).toBe('signature failed for kid secret-kid');
  });

  it('quotes " and \\ in every quoted value, the scope included', () => {
    const error = BearerTokenError.insufficientScope(['a"b', 'c\\d']);
    expect(bearerChallenge('r"\\', error)).toBe(
      'Bearer realm="r\\"\\\\", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="a\\"b c\\\\d"',
    );
  });

  it('quotes the realm as a quoted-string', () => {
    expect(bearerChallenge('a"b\\c', BearerTokenError.missing())).toBe('Bearer realm="a\\"b\\\\c"');
  });

  it.each([
    [BearerTokenError.missing(), 401],
    [BearerTokenError.malformed('x'), 400],
    [BearerTokenError.invalid('x'), 401],
    [BearerTokenError.insufficientScope(['a']), 403],
  ])('status %#', (error, status) => {
    expect(error.getStatus()).toBe(status);
  });
});

describe('BearerTokenError.fromAccessTokenError: a verifier’s refusal as an HTTP answer', () => {
  it('invalid_token: 401 with the private detail kept', () => {
    const error = BearerTokenError.fromAccessTokenError(
      new AccessTokenError('invalid_token', 'ERR_JWT_EXPIRED'),
    );
    expect([error.getStatus(), error.error, error.detail]).toEqual([
      401,
      'invalid_token',
      'ERR_JWT_EXPIRED',
    ]);
    expect(error).toEqual(BearerTokenError.invalid('ERR_JWT_EXPIRED'));
  });

  it('insufficient_scope: 403 naming every required scope', () => {
    const error = BearerTokenError.fromAccessTokenError(
      new AccessTokenError('insufficient_scope', 'required: a b', ['a', 'b']),
    );
    expect(error).toEqual(BearerTokenError.insufficientScope(['a', 'b']));
    expect(bearerChallenge('m2m', error)).toBe(
      'Bearer realm="m2m", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="a b"',
    );
  });
});

import type { M2mPrincipal } from '../domain/principal.js';
import type { M2mAccessTokenVerification } from '../verification/access-token-verification.js';
import { M2mBearerStrategy, readBearerHeader } from './bearer.strategy.js';

describe('readBearerHeader (RFC 6750 §2.1)', () => {
  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic YTpi'],
    ['a scheme that only starts like Bearer', 'Bearerish abc'],
    ['several headers', ['Bearer a', 'Bearer b']],
  ])('%s: no token', (_name, header) => {
    expect(readBearerHeader(header as string | string[] | undefined)).toEqual({ kind: 'none' });
  });

  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER abc', 'abc'],
    ['Bearer   abc', 'abc'],
    ['Bearer a-b_c~d+e/f.g==', 'a-b_c~d+e/f.g=='],
  ])('%j: the token', (header, token) => {
    expect(readBearerHeader(header)).toEqual({ kind: 'token', token });
  });

  it('undefined: no token', () => {
    expect(readBearerHeader(undefined)).toEqual({ kind: 'none' });
  });

  it.each(['Basic dXNlcjpwYXNz', 'basic abc', 'Digest username="a"', 'Token abc', 'abc.def.ghi'])(
    'another scheme %j counts as no token, not as malformed',
    (header) => {
      expect(readBearerHeader(header)).toEqual({ kind: 'none' });
    },
  );

  it.each([
    ['bEaReR abc', 'abc'],
    ['Bearer abc=', 'abc='],
    ['Bearer abc==', 'abc=='],
    ['Bearer abc===', 'abc==='],
    ['  Bearer abc  ', 'abc'],
    [
      'Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
      'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    ],
  ])('%j: the token (scheme in any case, trailing = padding, spaces)', (header, token) => {
    expect(readBearerHeader(header)).toEqual({ kind: 'token', token });
  });

  it.each([
    'Bearer\tabc',
    'Bearer abc def ghi',
    'Bearer abc\u00e9',
    'Bearer abc;',
    'Bearer ==',
    'bearer',
    'BEARER    ',
  ])('%j: malformed too', (header) => {
    expect(readBearerHeader(header)).toEqual({
      kind: 'malformed',
      detail: 'not "Bearer <b64token>"',
    });
  });

  it.each([
    'Bearer',
    'Bearer ',
    'Bearer a b',
    'Bearer a!b',
    'Bearer a,b',
    'Bearer =abc',
    'Bearer ab=c',
    'Bearer "abc"',
  ])('%j: malformed', (header) => {
    expect(readBearerHeader(header)).toEqual({
      kind: 'malformed',
      detail: 'not "Bearer <b64token>"',
    });
  });
});

describe('M2mBearerStrategy: the Authorization header only (RFC 6750 §2.1)', () => {
  type Outcome = { failed?: unknown; success?: unknown; error?: unknown };
  /** passport-http-bearer's "no credentials" failure (not the 400 of a malformed request). */
  const NO_TOKEN = { failed: 'Bearer realm="Users"' };

  function run(req: {
    headers: Record<string, string>;
    query?: Record<string, string>;
    body?: Record<string, string>;
  }): Promise<{ outcome: Outcome; verified: string[] }> {
    const verified: string[] = [];
    const verifier: M2mAccessTokenVerification = {
      verify: async (token: string) => {
        verified.push(token);
        return { clientId: 'm2mc_x', scopes: [] } as unknown as M2mPrincipal;
      },
    } as unknown as M2mAccessTokenVerification;
    const strategy = new M2mBearerStrategy(verifier);
    return new Promise((resolve) => {
      const self = strategy as unknown as Record<string, (value?: unknown) => void>;
      self['fail'] = (failed) => resolve({ outcome: { failed }, verified });
      self['success'] = (success) => resolve({ outcome: { success }, verified });
      self['error'] = (error) => resolve({ outcome: { error }, verified });
      strategy.authenticate(req as never);
    });
  }

  it('ignores a token in the query string', async () => {
    const { outcome, verified } = await run({ headers: {}, query: { access_token: 'abc' } });
    expect([outcome, verified]).toEqual([NO_TOKEN, []]);
  });

  it('ignores a token in the form body', async () => {
    const { outcome, verified } = await run({ headers: {}, body: { access_token: 'abc' } });
    expect([outcome, verified]).toEqual([NO_TOKEN, []]);
  });

  it('ignores another scheme (Basic) like no token', async () => {
    const { outcome, verified } = await run({ headers: { authorization: 'Basic YTpi' } });
    expect([outcome, verified]).toEqual([NO_TOKEN, []]);
  });

  it('fails a malformed Bearer header with 400, without verifying anything', async () => {
    const { outcome, verified } = await run({ headers: { authorization: 'Bearer a b' } });
    expect([outcome, verified]).toEqual([{ failed: 400 }, []]);
  });

  it('a header token beside a body token is not a 400 (the body is never looked at)', async () => {
    const { outcome, verified } = await run({
      headers: { authorization: 'Bearer abc' },
      body: { access_token: 'other' },
    });
    expect(verified).toEqual(['abc']);
    expect(Object.keys(outcome)).toEqual(['success']);
  });

  it('verifies the header token, whatever the scheme case', async () => {
    const { outcome, verified } = await run({
      headers: { authorization: 'bearer abc.def' },
      query: { access_token: 'from-query' },
    });
    expect(verified).toEqual(['abc.def']);
    expect(outcome.success).toEqual({ clientId: 'm2mc_x', scopes: [] });
  });
});

import type { ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost, Reflector } from '@nestjs/core';
import { BearerTokenError } from '../errors/bearer-token.error.js';
import { M2mBearerStrategy, m2mPassport } from './bearer.strategy.js';
import { M2mAuthGuard } from './m2m-auth.guard.js';
import type { M2mAccessTokenVerification } from './m2m-principal.js';
import type { M2mPrincipal } from '../domain/principal.js';

type Request = {
  headers: Record<string, string | string[]>;
  query?: Record<string, string>;
  body?: Record<string, string>;
};

/** A verifier that accepts tokens starting with "good". */
function verifier(): M2mAccessTokenVerification {
  return {
    verify: async (token: string) => {
      if (!token.startsWith('good')) throw BearerTokenError.invalid('bad signature');
      return { clientId: 'm2mc_x', scopes: ['reports:read'], tokenId: token } as M2mPrincipal;
    },
  };
}

/** What passport itself answers for a request, with the same strategy. */
function throughPassport(strategy: M2mBearerStrategy, request: Request): Promise<string> {
  return new Promise((resolve) => {
    m2mPassport.authenticate(
      strategy,
      { session: false },
      (error: unknown, principal: M2mPrincipal | false, _info: unknown, status?: number) => {
        if (error instanceof BearerTokenError) return resolve(`error ${error.detail}`);
        if (principal) return resolve(`principal ${principal.tokenId}`);
        resolve(status === 400 ? 'malformed' : 'missing');
      },
    )(request, {}, () => resolve('next'));
  });
}

/** What the guard answers for the same request. */
async function throughGuard(guard: M2mAuthGuard, request: Request): Promise<string> {
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
    getHandler: () => throughGuard,
    getClass: () => M2mAuthGuard,
  } as unknown as ExecutionContext;
  try {
    await guard.canActivate(context);
    return `principal ${(request as unknown as { m2mClient: M2mPrincipal }).m2mClient.tokenId}`;
  } catch (error) {
    const failure = error as BearerTokenError;
    if (failure.error === 'invalid_request') return 'malformed';
    if (failure.error === null) return 'missing';
    return `error ${failure.detail}`;
  }
}

const REQUESTS: [string, Request][] = [
  ['no header', { headers: {} }],
  ['a valid token', { headers: { authorization: 'Bearer good.token' } }],
  ['an invalid token', { headers: { authorization: 'Bearer bad.token' } }],
  ['the scheme in lower case', { headers: { authorization: 'bearer good.lower' } }],
  ['the scheme in mixed case, padding', { headers: { authorization: 'bEaReR good==' } }],
  ['several spaces', { headers: { authorization: 'Bearer   good.spaces' } }],
  ['surrounding spaces', { headers: { authorization: '  Bearer good.trimmed  ' } }],
  ['no token after the scheme', { headers: { authorization: 'Bearer' } }],
  ['an empty token', { headers: { authorization: 'Bearer ' } }],
  ['two tokens', { headers: { authorization: 'Bearer good.a good.b' } }],
  ['a character outside b64token', { headers: { authorization: 'Bearer good!x' } }],
  ['a tab', { headers: { authorization: 'Bearer\tgood.tab' } }],
  ['Basic credentials', { headers: { authorization: 'Basic Zm9vOmJhcg==' } }],
  ['another scheme', { headers: { authorization: 'Token good.other' } }],
  ['a token in the query', { headers: {}, query: { access_token: 'good.query' } }],
  ['a token in the body', { headers: {}, body: { access_token: 'good.body' } }],
  [
    'a header token and a body token',
    { headers: { authorization: 'Bearer good.header' }, body: { access_token: 'good.body' } },
  ],
];

describe('M2mAuthGuard reads tokens exactly as passport with the bearer strategy does', () => {
  const strategy = new M2mBearerStrategy(verifier());
  const guard = new M2mAuthGuard(
    strategy,
    { getAllAndMerge: () => [] } as unknown as Reflector,
    { httpAdapter: { setHeader: () => undefined } } as unknown as HttpAdapterHost,
    { realm: 'm2m' },
  );

  it.each(REQUESTS)('%s: the same outcome', async (_name, request) => {
    const expected = await throughPassport(strategy, structuredClone(request));
    expect(await throughGuard(guard, structuredClone(request))).toBe(expected);
  });

  it('the corpus covers every outcome', async () => {
    const outcomes = await Promise.all(
      REQUESTS.map(([, request]) => throughGuard(guard, structuredClone(request))),
    );
    expect(new Set(outcomes.map((o) => o.split(' ')[0]))).toEqual(
      new Set(['principal', 'error', 'malformed', 'missing']),
    );
  });
});

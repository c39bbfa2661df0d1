import type { ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { M2mPrincipal } from '../domain/principal.js';
import { AccessTokenError } from '../errors/access-token.error.js';
import type { BearerTokenError } from '../http/bearer-token.error.js';
import type { M2mAccessTokenVerification } from '../verification/access-token-verification.js';
import { M2mBearerStrategy, m2mPassport } from './bearer.strategy.js';
import { M2mAuthGuard } from './m2m-auth.guard.js';

type Request = {
  headers: Record<string, string | string[]>;
  query?: Record<string, string>;
  body?: Record<string, string>;
};

/** A verifier that accepts tokens starting with "good". */
function verifier(): M2mAccessTokenVerification {
  return {
    verify: async (token: string) => {
      if (!token.startsWith('good')) throw new AccessTokenError('invalid_token', 'bad signature');
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
        if (error instanceof AccessTokenError) return resolve(`error ${error.detail}`);
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

describe('M2mAuthGuard answers a verifier’s refusal in RFC 6750 terms', () => {
  function guardWith(verify: (token: string) => Promise<M2mPrincipal>, required: string[] = []) {
    const challenges: string[] = [];
    const guard = new M2mAuthGuard(
      new M2mBearerStrategy({ verify }),
      { getAllAndMerge: () => required } as unknown as Reflector,
      {
        httpAdapter: { setHeader: (_r: object, _n: string, v: string) => challenges.push(v) },
      } as unknown as HttpAdapterHost,
      { realm: 'm2m' },
    );
    return { guard, challenges };
  }

  async function refusal(guard: M2mAuthGuard): Promise<BearerTokenError> {
    const context = {
      switchToHttp: () => ({
        getRequest: () => ({ headers: { authorization: 'Bearer a.b.c' } }),
        getResponse: () => ({}),
      }),
      getHandler: () => refusal,
      getClass: () => M2mAuthGuard,
    } as unknown as ExecutionContext;
    return guard.canActivate(context).then(
      () => {
        throw new Error('the guard let the request in');
      },
      (error: unknown) => error as BearerTokenError,
    );
  }

  it('AccessTokenError invalid_token: 401 invalid_token, detail kept for the log', async () => {
    const { guard, challenges } = guardWith(async () => {
      throw new AccessTokenError('invalid_token', 'ERR_JWT_EXPIRED');
    });
    const error = await refusal(guard);
    expect([error.getStatus(), error.error, error.detail]).toEqual([
      401,
      'invalid_token',
      'ERR_JWT_EXPIRED',
    ]);
    expect(challenges).toEqual([
      'Bearer realm="m2m", error="invalid_token", error_description="The access token is invalid or has expired."',
    ]);
  });

  it('a missing scope: 403 insufficient_scope naming the scopes', async () => {
    const principal = { clientId: 'c', scopes: ['a'], tokenId: 't' } as M2mPrincipal;
    const { guard } = guardWith(async () => principal, ['a', 'b']);
    const error = await refusal(guard);
    expect([error.getStatus(), error.error, error.scope]).toEqual([
      403,
      'insufficient_scope',
      'a b',
    ]);
  });

  it('an unexpected error fails closed: 401 invalid_token', async () => {
    const { guard } = guardWith(async () => {
      throw new TypeError('boom');
    });
    const error = await refusal(guard);
    expect([error.getStatus(), error.error, error.detail]).toEqual([
      401,
      'invalid_token',
      'verification failed',
    ]);
  });
});

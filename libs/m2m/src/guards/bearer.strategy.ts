import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy } from 'passport-http-bearer';
import type { M2mPrincipal } from '../domain/principal.js';
import { M2M_ACCESS_TOKEN_VERIFIER } from '../m2m.internal-constants.js';
import type { M2mAccessTokenVerification } from '../verification/access-token-verification.js';

/** Name under which the strategy is registered. */
export const M2M_BEARER_STRATEGY = 'm2m-bearer';

/**
 * A private authenticator instance: strategies of several apps in one process (tests, an
 * authorization server beside a resource server) never replace each other in passport's
 * global registry.
 */
export const m2mPassport = new passport.Passport();

/** RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token. */
const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
const BEARER_SCHEME = /^Bearer(\s|$)/i;

/** What the Authorization header holds, as far as bearer authentication is concerned. */
export type BearerHeader =
  { kind: 'none' } | { kind: 'malformed'; detail: string } | { kind: 'token'; token: string };

/**
 * Reads the bearer token from the Authorization header only. The scheme is case-insensitive;
 * another scheme (e.g. Basic) counts as no token; a Bearer header that breaks the b64token
 * syntax is malformed.
 */
export function readBearerHeader(header: string | string[] | undefined): BearerHeader {
  if (header === undefined || Array.isArray(header)) return { kind: 'none' };
  const value = header.trim();
  if (!BEARER_SCHEME.test(value)) return { kind: 'none' };
  const match = BEARER_HEADER.exec(value);
  if (match === null) return { kind: 'malformed', detail: 'not "Bearer <b64token>"' };
  return { kind: 'token', token: match[1]! };
}

interface HeaderOnlyRequest {
  headers: { authorization?: string | string[] };
}

/**
 * passport-http-bearer strategy that verifies M2M access tokens. It hands passport a view of
 * the request with the Authorization header alone, so tokens in the query string or the body
 * are never read (RFC 6750 §2.2 and §2.3 are optional; we do not support them).
 */
@Injectable()
export class M2mBearerStrategy extends PassportStrategy(Strategy, M2M_BEARER_STRATEGY) {
  constructor(
    @Inject(M2M_ACCESS_TOKEN_VERIFIER) private readonly verifier: M2mAccessTokenVerification,
  ) {
    super();
  }

  /** Called by the mixin's constructor (so it cannot use `this`): registers privately. */
  getPassportInstance(): passport.Authenticator {
    return m2mPassport;
  }

  override authenticate(req: HeaderOnlyRequest, options?: object): void {
    const header = readBearerHeader(req.headers.authorization);
    if (header.kind === 'malformed') {
      // passport-strategy's fail(status): the guard turns a 400 into RFC 6750 invalid_request.
      return (this as unknown as { fail(status: number): void }).fail(400);
    }
    const view: HeaderOnlyRequest = {
      headers: header.kind === 'token' ? { authorization: `Bearer ${header.token}` } : {},
    };
    super.authenticate(view as never, options);
  }

  validate(token: string): Promise<M2mPrincipal> {
    return this.verifier.verify(token);
  }
}

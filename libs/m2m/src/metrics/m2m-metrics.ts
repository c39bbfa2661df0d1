/** The client-authenticated OAuth endpoints that report metrics. */
export type M2mEndpoint = 'token' | 'introspection' | 'revocation';

/** Why a request was refused by a limit rather than by its credentials. */
export type M2mLimitKind = 'ip_failures' | 'client_failures' | 'issuance_quota' | 'queue_full';

/** Why the guard refused a request (RFC 6750 §3.1 terms; `missing` has no error code). */
export type M2mGuardRejection =
  'missing' | 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * What the hot paths report. The default records nothing and costs a call; with the `metrics`
 * module option it feeds Prometheus collectors. Labels never carry secrets or tokens.
 */
export class M2mMetrics {
  /** One request to a client-authenticated endpoint: `issued`/`ok`, or its OAuth error code. */
  request(_endpoint: M2mEndpoint, _outcome: string, _seconds: number, _clientId?: string): void {}

  /** A lookup in the verified-credential cache. */
  credentialCache(_hit: boolean): void {}

  /** A lookup in the guard's verified-token cache. */
  tokenCache(_hit: boolean): void {}

  /** A request refused by a limit. */
  limited(_kind: M2mLimitKind): void {}

  /** A request refused by the guard. */
  guardRejected(_reason: M2mGuardRejection): void {}

  /** Audit events that could not be written and were dropped. */
  auditEventsDropped(_count: number): void {}
}

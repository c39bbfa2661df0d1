// The requests of the token, introspection and revocation endpoints as the services take them:
// already read from HTTP by the edge (oauth/token-request.reader.ts), framework-free.

/** How the client authenticated (RFC 6749 §2.3.1; names from RFC 7591 §2). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** Client credentials as presented. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: ClientAuthMethod;
}

/** A client assertion (RFC 7523 §2.2, private_key_jwt) as presented. */
export interface ClientAssertion {
  /** The `client_id` parameter, when the client sent one. */
  clientId: string | undefined;
  jwt: string;
}

/** The client authentication part of a request to the token, introspection or revocation endpoint. */
export interface ClientAuthentication {
  /** Null when the request carries no client secret credentials. */
  credentials: ClientCredentials | null;
  /** A private_key_jwt assertion, when the client used one instead. */
  assertion?: ClientAssertion | null;
  /** The request tried HTTP Basic authentication (so a 401 carries a Basic challenge). */
  usedBasic: boolean;
  /** The caller's network address, which failure budgets count by. @default 'unknown' */
  source?: string;
}

/** A structurally valid request to a client-authenticated endpoint, with the parameters read. */
export interface ClientRequest<P extends string> extends ClientAuthentication {
  params: Partial<Record<P, string>>;
}

/** A structurally valid token request (RFC 6749 §4.4.2). */
export interface TokenRequest extends ClientAuthentication {
  grantType: string | undefined;
  scope: string | undefined;
  /** RFC 8707 `resource` (or its `audience` alias): the one resource server the token is for. */
  resource?: string | undefined;
}

/** Parameters of the introspection and revocation endpoints (RFC 7662 §2.1, RFC 7009 §2.1). */
export type TokenParameter = 'token' | 'token_type_hint';

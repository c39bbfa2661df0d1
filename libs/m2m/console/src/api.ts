// The console's only way to the server: the admin API (operators) or the owner API (a host's
// own users), plus the token endpoint for the operator's sign-in. Same origin only; the token
// lives in the caller's memory and is passed in per request.

/** A member of a problem's `errors`: which input (a JSON Pointer) and what is wrong with it. */
export interface FieldProblem {
  pointer: string;
  detail: string;
}

/** A refusal from the server, as RFC 9457 problem details or an RFC 6749 error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly code?: string,
  ) {
    super(message);
  }
}

export type ClientStatus = 'active' | 'disabled';

export interface Rotation {
  next_secret_hint: string;
  started_at: string;
  next_secret_last_used_at: string | null;
  current_secret_expires_at: string | null;
}

export interface Client {
  client_id: string;
  client_name: string;
  description?: string | null;
  scopes: string[];
  audiences: string[];
  status: ClientStatus;
  secret_hint: string;
  expires_at: string | null;
  created_at: string;
  owner_id: string | null;
  token_endpoint_auth_method: string;
  secret_created_at: string;
  secret_last_used_at: string | null;
  rotation: Rotation | null;
  last_used_at: string | null;
  token_count: number;
}

export interface ClientPage {
  data: Client[];
  next_cursor: string | null;
}

export interface ClientFilters {
  name_prefix?: string;
  status?: ClientStatus;
  owner_id?: string;
  scope?: string;
  expires_within_days?: number;
}

export interface NewClient {
  client_name: string;
  scopes: string[];
  audiences?: string[];
  expires_at?: string;
  owner_id?: string;
}

/** A PATCH: only the members present change; `expires_at: null` removes the end. */
export interface ClientChanges {
  client_name?: string;
  scopes?: string[];
  audiences?: string[];
  expires_at?: string | null;
  status?: ClientStatus;
}

export interface AuditEvent {
  id: number;
  occurred_at: string;
  type: string;
  client_id: string | null;
  actor: { type: string; id: string | null };
  details: Record<string, unknown> | null;
}

export interface AuditPage {
  data: AuditEvent[];
  next_cursor: string | null;
}

export interface SigningKey {
  kid: string;
  alg: string;
  status: string;
  created_at: string;
  activated_at: string | null;
  retired_at: string | null;
  expires_at: string | null;
}

/** What a caller may give its clients: every advertised scope for operators, the policy for owners. */
export interface Grantable {
  scopes: string[];
  /** The audiences an owner may grant; null for operators, who type resource URIs. */
  audiences: string[] | null;
}

/**
 * `admin`: the admin API, with the operator's bearer token (or the host's own admin guard and
 * session). `owner`: the owner API, with the host's session (cookies, or headers it supplies).
 */
export type ApiSource = 'admin' | 'owner';

async function errorOf(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's page, an empty 403): the status says enough.
  }
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  const errors = Array.isArray(body['errors'])
    ? (body['errors'] as unknown[]).filter(
        (e): e is FieldProblem =>
          typeof e === 'object' &&
          e !== null &&
          typeof (e as FieldProblem).pointer === 'string' &&
          typeof (e as FieldProblem).detail === 'string',
      )
    : [];
  const message =
    text('detail') ??
    text('error_description') ??
    text('title') ??
    `The server answered ${response.status}.`;
  return new ApiError(response.status, message, errors, text('error'));
}

/** The admin or owner API, as the console calls it. */
export class M2mApi {
  /**
   * @param base where the module's routes start, ending in '/' (e.g. '/' or '/api/')
   * @param headers called before each request: the operator's Authorization, or a host's headers
   */
  constructor(
    readonly base: string,
    readonly source: ApiSource,
    private readonly headers: () => Record<string, string> = () => ({}),
  ) {}

  private get clientsPath(): string {
    return `${this.base}${this.source === 'owner' ? 'm2m/owner/clients' : 'm2m/clients'}`;
  }

  private clientPath(clientId: string): string {
    return `${this.clientsPath}/${encodeURIComponent(clientId)}`;
  }

  private async call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(url, {
      method,
      headers: {
        ...this.headers(),
        Accept: 'application/json, application/problem+json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
    });
    if (!response.ok) throw await errorOf(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  listClients(filters: ClientFilters, cursor: string | null, limit = 20): Promise<ClientPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== '') query.set(key, String(value));
    }
    if (cursor !== null) query.set('cursor', cursor);
    return this.call('GET', `${this.clientsPath}?${query}`);
  }

  getClient(clientId: string): Promise<Client> {
    return this.call('GET', this.clientPath(clientId));
  }

  /** The only answer that carries the new client's secret. */
  createClient(client: NewClient): Promise<Client & { client_secret: string | null }> {
    return this.call('POST', this.clientsPath, client);
  }

  updateClient(clientId: string, changes: ClientChanges): Promise<Client> {
    return this.call('PATCH', this.clientPath(clientId), changes);
  }

  setStatus(clientId: string, status: ClientStatus): Promise<Client> {
    return this.updateClient(clientId, { status });
  }

  /** Revokes one access token by its `jti` (operators only). */
  revokeToken(jti: string): Promise<void> {
    return this.call('POST', `${this.base}m2m/revocations`, { jti });
  }

  deleteClient(clientId: string): Promise<void> {
    return this.call('DELETE', this.clientPath(clientId));
  }

  /** The only answer that carries the next secret. */
  startRotation(clientId: string): Promise<Client & { next_client_secret: string }> {
    return this.call('POST', `${this.clientPath(clientId)}/secrets/rotation`, {});
  }

  completeRotation(clientId: string): Promise<Client> {
    return this.call('POST', `${this.clientPath(clientId)}/secrets/rotation/complete`);
  }

  cancelRotation(clientId: string): Promise<Client> {
    return this.call('POST', `${this.clientPath(clientId)}/secrets/rotation/cancel`);
  }

  auditEvents(clientId: string, cursor: string | null): Promise<AuditPage> {
    const query = new URLSearchParams({ limit: '20' });
    if (cursor !== null) query.set('cursor', cursor);
    if (this.source === 'owner') {
      return this.call('GET', `${this.clientPath(clientId)}/audit-events?${query}`);
    }
    query.set('client_id', clientId);
    return this.call('GET', `${this.base}m2m/audit-events?${query}`);
  }

  async grantable(): Promise<Grantable> {
    if (this.source === 'owner') {
      const policy = await this.call<Grantable & { audiences: string[] }>(
        'GET',
        `${this.base}m2m/owner/policy`,
      );
      return { scopes: policy.scopes, audiences: policy.audiences };
    }
    const metadata = await this.call<{ scopes_supported?: string[] }>(
      'GET',
      `${this.base}.well-known/oauth-authorization-server`,
    );
    return { scopes: metadata.scopes_supported ?? [], audiences: null };
  }

  async signingKeys(): Promise<SigningKey[]> {
    return (await this.call<{ data: SigningKey[] }>('GET', `${this.base}m2m/signing-keys`)).data;
  }

  async rotateSigningKeys(): Promise<SigningKey[]> {
    return (await this.call<{ data: SigningKey[] }>('POST', `${this.base}m2m/signing-keys/rotate`))
      .data;
  }
}

/** RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic encoding. */
function basicCredentials(clientId: string, clientSecret: string): string {
  const form = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  const bytes = new TextEncoder().encode(`${form(clientId)}:${form(clientSecret)}`);
  return btoa(String.fromCharCode(...bytes));
}

/** An operator's access to the admin API, held in memory by the console only. */
export interface AdminSession {
  clientId: string;
  accessToken: string;
  expiresAt: number;
}

/** The `jti` claim of a JWT access token, or null when it has none. */
function jtiOf(accessToken: string): string | null {
  try {
    const payload = accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload)) as { jti?: unknown };
    return typeof claims.jti === 'string' ? claims.jti : null;
  } catch {
    return null;
  }
}

/**
 * Ends an operator's session on the server too: the session's own token is revoked through the
 * admin API (`POST /m2m/revocations`), so that it stops working before it expires. `keepalive`
 * lets the request outlive a page that is being closed. Best effort: a failure is ignored, the
 * token then simply expires.
 */
export async function revokeSession(
  base: string,
  session: AdminSession,
  keepalive = false,
): Promise<void> {
  const jti = jtiOf(session.accessToken);
  if (jti === null) return;
  try {
    await fetch(`${base}m2m/revocations`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${session.accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ jti }),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      keepalive,
    });
  } catch {
    // Offline, or the page is going away: the token expires on its own.
  }
}

/**
 * Signs an operator in: an `m2m:admin` access token by the client credentials grant, from the
 * server's own token endpoint. The secret is used for this one request and kept nowhere.
 */
export async function signIn(
  base: string,
  clientId: string,
  clientSecret: string,
): Promise<AdminSession> {
  const response = await fetch(`${base}oauth2/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basicCredentials(clientId, clientSecret)}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'm2m:admin' }),
    credentials: 'omit',
    cache: 'no-store',
    redirect: 'error',
  });
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.code === 'invalid_client') {
      throw new ApiError(
        error.status,
        'The client ID or the client secret is wrong.',
        [],
        error.code,
      );
    }
    if (error.code === 'invalid_scope') {
      throw new ApiError(
        error.status,
        'This client may not use the admin API: it does not have the m2m:admin scope.',
        [],
        error.code,
      );
    }
    throw error;
  }
  const token = (await response.json()) as { access_token: string; expires_in: number };
  return {
    clientId,
    accessToken: token.access_token,
    expiresAt: Date.now() + token.expires_in * 1000,
  };
}

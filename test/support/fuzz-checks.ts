import {
  decodedUrlText,
  type AdminCase,
  type OAuthCase,
  type QueryPair,
  type UrlText,
} from './fuzz-cases.js';
import type { FuzzRequest, FuzzResponse } from './fuzz-http.js';
import { resolve, wellFormed, type FuzzContext } from './fuzz-values.js';

// What every answer of the fuzzed server must satisfy. Each check returns the violations it
// found, as sentences; an empty list is a pass.

/** Largest request body the example server accepts (`BODY_LIMIT_BYTES`). */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** A client of the fixtures, with the scopes it was registered with. */
export interface KnownClient {
  /** Its name in the placeholders: `{{<role>.id}}`, `{{<role>.secret}}`. */
  role: string;
  id: string;
  secret: string;
  scopes: string[];
}

/** A client as the admin API last showed it, for the list filters. */
export interface RegistryEntry {
  name: string;
  status: string;
  ownerId: string | null;
  scopes: string[];
}

/** Everything the checks know about the server under test. */
export interface FuzzWorld {
  context: FuzzContext;
  clients: KnownClient[];
  /** Strings that no response may contain, with how to name them. */
  secrets: { label: string; value: string }[];
  /** Every client that exists, as far as the admin API told us. */
  registry: Map<string, RegistryEntry>;
  /** Set when a change happened that the registry could not follow: completeness is then unknown. */
  registryUncertain: boolean;
}

/** `text` with the fixtures' secrets and tokens replaced by their names, for printing. */
export function redactor(world: FuzzWorld): (text: string) => string {
  const longestFirst = [...world.secrets].sort((a, b) => b.value.length - a.value.length);
  return (text) =>
    longestFirst.reduce((out, { label, value }) => out.split(value).join(`<${label}>`), text);
}

/** RFC 6749 §5.2, RFC 7009 §2.2.1, RFC 7662 §2.3 (which use §5.2's) and RFC 8707 §2 error codes. */
const OAUTH_ERRORS = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'temporarily_unavailable',
]);

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** Stable JSON text: members sorted (own `__proto__` members included). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function show(value: unknown, max = 120): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

function header(response: FuzzResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The first value of a request header: the one Node's server keeps for Authorization. */
function requestHeader(request: FuzzRequest, name: string): string | undefined {
  return request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

function bodyBytes(request: FuzzRequest): number {
  return request.body?.length ?? 0;
}

/** Checks of every response: no server error, no secret, no 413 below the body limit. */
function common(world: FuzzWorld, request: FuzzRequest, response: FuzzResponse): string[] {
  const violations: string[] = [];
  if (response.status >= 500) violations.push(`status ${response.status}: a server error`);
  if (response.status === 413 && bodyBytes(request) <= BODY_LIMIT_BYTES) {
    violations.push(
      `413 Content Too Large for a body of ${bodyBytes(request)} bytes, within the ${BODY_LIMIT_BYTES}-byte limit`,
    );
  }
  const headers = JSON.stringify(response.headers);
  for (const { label, value } of world.secrets) {
    for (const [where, text] of [
      ['the body', response.text],
      ['a header', headers],
    ] as const) {
      const at = text.indexOf(value);
      if (at === -1) continue;
      const around = `${text.slice(Math.max(0, at - 60), at)}<${label}>${text.slice(at + value.length, at + value.length + 60)}`;
      violations.push(`${where} contains ${label}: …${JSON.stringify(around).slice(1, -1)}…`);
    }
  }
  return violations;
}

function decodeJwtPayload(token: string): JsonObject | undefined {
  try {
    const payload: unknown = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    );
    return isObject(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the case carries a fixture client's secret (as a placeholder, anywhere). */
function carriesSecretOf(spec: unknown, client: KnownClient): boolean {
  return JSON.stringify(spec).includes(`{{${client.role}.secret}}`);
}

/** The token, introspection and revocation endpoints. */
export function oauthViolations(
  world: FuzzWorld,
  spec: OAuthCase,
  request: FuzzRequest,
  response: FuzzResponse,
): string[] {
  const violations = common(world, request, response);
  const { status } = response;
  const body = response.json;
  const authorization = requestHeader(request, 'Authorization');
  const usedBasic = authorization !== undefined && /^basic(\s|$)/i.test(authorization.trim());

  if (status >= 400 && status < 500) {
    if (!isObject(body)) {
      violations.push(`${status} without a JSON object body`);
    } else {
      const keys = Object.keys(body).sort();
      if (keys.join(',') !== 'error,error_description') {
        violations.push(
          `${status} body has members ${show(keys)}, not exactly error and error_description`,
        );
      }
      if (typeof body['error'] !== 'string' || !OAUTH_ERRORS.has(body['error'])) {
        violations.push(`${status} with error ${show(body['error'])}, not an RFC 6749 §5.2 code`);
      }
      if (typeof body['error_description'] !== 'string') {
        violations.push(`${status} with error_description ${show(body['error_description'])}`);
      }
      if (body['error'] === 'invalid_client' && usedBasic) {
        if (status !== 401) {
          violations.push(`invalid_client after HTTP Basic with status ${status}, not 401`);
        } else if (!/^Basic/.test(header(response, 'www-authenticate') ?? '')) {
          violations.push(
            `401 invalid_client after HTTP Basic with WWW-Authenticate ${show(header(response, 'www-authenticate'))}`,
          );
        }
      }
    }
  }
  if ((status >= 400 && status < 500) || (status === 200 && spec.endpoint === '/oauth2/token')) {
    if (header(response, 'cache-control') !== 'no-store') {
      violations.push(`${status} with Cache-Control ${show(header(response, 'cache-control'))}`);
    }
    if (header(response, 'pragma') !== 'no-cache') {
      violations.push(`${status} with Pragma ${show(header(response, 'pragma'))}`);
    }
  }

  if (status >= 200 && status < 300) {
    // Only an authenticated fixture client gets a 2xx: the case must carry its secret.
    const callers = world.clients.filter((client) => carriesSecretOf(spec, client));
    if (callers.length === 0) violations.push(`${status} for a request without any client secret`);
  }
  if (status === 200 && spec.endpoint === '/oauth2/token') {
    violations.push(...tokenResponseViolations(world, spec, body));
  }
  if (status === 200 && spec.endpoint === '/oauth2/introspect') {
    if (!isObject(body) || typeof body['active'] !== 'boolean') {
      violations.push(`introspection 200 without a boolean "active": ${show(body)}`);
    } else if (body['active'] === false && Object.keys(body).length !== 1) {
      violations.push(`inactive introspection with more than "active": ${show(body)}`);
    }
    const introspector = world.clients.find((client) => client.role === 'introspector')!;
    if (!carriesSecretOf(spec, introspector)) {
      violations.push('introspection 200 for a caller without the m2m:introspect scope');
    }
  }
  return violations;
}

function tokenResponseViolations(world: FuzzWorld, spec: OAuthCase, body: unknown): string[] {
  const violations: string[] = [];
  if (!isObject(body)) return [`token 200 without a JSON object body`];
  if (own(body, 'refresh_token')) violations.push('token 200 with a refresh_token');
  const extra = Object.keys(body).filter(
    (key) => !['access_token', 'token_type', 'expires_in', 'scope'].includes(key),
  );
  if (extra.length > 0) violations.push(`token 200 with other members ${show(extra)}`);
  if (typeof body['access_token'] !== 'string' || body['access_token'] === '') {
    violations.push(`token 200 with access_token ${show(body['access_token'])}`);
  }
  if (body['token_type'] !== 'Bearer') {
    violations.push(`token 200 with token_type ${show(body['token_type'])}`);
  }
  const expiresIn = body['expires_in'];
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn <= 0) {
    violations.push(`token 200 with expires_in ${show(expiresIn)}`);
  }
  if (own(body, 'scope') && typeof body['scope'] !== 'string') {
    violations.push(`token 200 with scope ${show(body['scope'])}`);
  }
  if (typeof body['access_token'] === 'string') {
    const claims = decodeJwtPayload(body['access_token']);
    const client = world.clients.find((known) => known.id === claims?.['client_id']);
    if (client === undefined) {
      violations.push(`token issued to ${show(claims?.['client_id'])}, not a fixture client`);
    } else {
      if (!carriesSecretOf(spec, client)) {
        violations.push(`token issued to ${client.role} without its secret in the request`);
      }
      const granted = String(claims?.['scope'] ?? '')
        .split(' ')
        .filter(Boolean);
      const beyond = granted.filter((scope) => !client.scopes.includes(scope));
      if (beyond.length > 0) {
        violations.push(
          `token issued to ${client.role} with scopes beyond its own: ${show(beyond)}`,
        );
      }
    }
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Admin API

function problemViolations(response: FuzzResponse): string[] {
  const violations: string[] = [];
  const type = header(response, 'content-type');
  if (type !== PROBLEM_JSON) {
    violations.push(`${response.status} with Content-Type ${show(type)}, not ${PROBLEM_JSON}`);
  }
  const body = response.json;
  if (!isObject(body)) {
    violations.push(`${response.status} without a JSON object body (RFC 9457)`);
    return violations;
  }
  if (typeof body['type'] !== 'string' || body['type'] === '') {
    violations.push(`problem without a "type": ${show(body)}`);
  }
  if (typeof body['title'] !== 'string')
    violations.push(`problem without a "title": ${show(body)}`);
  if (body['status'] !== response.status) {
    violations.push(
      `problem "status" ${show(body['status'])} differs from HTTP ${response.status}`,
    );
  }
  return violations;
}

/** The JSON body the server parsed, when the request sent JSON that parses to an object. */
function sentObject(request: FuzzRequest): JsonObject | undefined {
  const type = requestHeader(request, 'Content-Type');
  if (type === undefined || !/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type)) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(request.body?.toString('utf8') ?? '');
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return false;
  return canonical([...a].map(canonical).sort()) === canonical([...b].map(canonical).sort());
}

/** What a client body must show of an accepted create or update: what was sent, unchanged. */
function roundTripViolations(sent: JsonObject, client: JsonObject): string[] {
  const violations: string[] = [];
  const differs = (member: string, got: unknown, wanted: unknown) =>
    violations.push(
      `accepted ${member} ${show(wanted)} but the client shows ${show(got)} (silently changed)`,
    );
  // Names are stored trimmed, by design.
  const name = sent['client_name'];
  if (
    own(sent, 'client_name') &&
    client['client_name'] !== (typeof name === 'string' ? name.trim() : name)
  ) {
    differs('client_name', client['client_name'], name);
  }
  if (own(sent, 'status') && client['status'] !== sent['status']) {
    differs('status', client['status'], sent['status']);
  }
  for (const member of ['description', 'owner_id']) {
    if (own(sent, member) && client[member] !== (sent[member] ?? null)) {
      differs(member, client[member], sent[member]);
    }
  }
  for (const member of ['scopes', 'audiences']) {
    if (own(sent, member) && !sameSet(client[member], sent[member])) {
      differs(member, client[member], sent[member]);
    }
  }
  if (own(sent, 'metadata')) {
    const empty = (value: unknown) => value === null || canonical(value) === '{}';
    const wanted = sent['metadata'];
    const got = client['metadata'];
    if (!(empty(wanted) && empty(got)) && canonical(got) !== canonical(wanted)) {
      differs('metadata', got, wanted);
    }
  }
  if (own(sent, 'expires_at')) {
    const wanted = sent['expires_at'];
    const got = client['expires_at'];
    const instant = (value: unknown) => (typeof value === 'string' ? Date.parse(value) : NaN);
    if (wanted === null ? got !== null : instant(got) !== instant(wanted)) {
      differs('expires_at', got, wanted);
    }
  }
  return violations;
}

function clientViolations(client: unknown, what: string): string[] {
  if (!isObject(client) || typeof client['client_id'] !== 'string') {
    return [`${what} is not a client: ${show(client)}`];
  }
  if (own(client, 'client_secret') && what !== 'created client') {
    return [`${what} shows a client_secret`];
  }
  return [];
}

function remember(world: FuzzWorld, client: JsonObject): void {
  world.registry.set(String(client['client_id']), {
    name: String(client['client_name']),
    status: String(client['status']),
    ownerId: typeof client['owner_id'] === 'string' ? client['owner_id'] : null,
    scopes: Array.isArray(client['scopes']) ? client['scopes'].map(String) : [],
  });
}

/** The value of a query parameter sent exactly once, percent-encoded by us. */
interface ReadQuery {
  /** Decoded values of the parameters sent once and encoded. */
  values: Map<string, string>;
  /** Names sent raw, without a value, bracketed, repeated or unknown. */
  opaque: Set<string>;
}

function readQuery(pairs: QueryPair[], context: FuzzContext): ReadQuery {
  const counts = new Map<string, number>();
  for (const [name] of pairs) counts.set(name, (counts.get(name) ?? 0) + 1);
  const values = new Map<string, string>();
  const opaque = new Set<string>();
  for (const [name, value] of pairs) {
    const decoded = value === null ? undefined : decodedUrlText(value, context);
    if (counts.get(name) === 1 && decoded !== undefined) values.set(name, decoded);
    else opaque.add(name);
  }
  return { values, opaque };
}

function listViolations(
  world: FuzzWorld,
  pairs: QueryPair[],
  body: unknown,
  answeredAt: number,
): string[] {
  if (!isObject(body) || !Array.isArray(body['data']))
    return [`list 200 is not a page: ${show(body)}`];
  const violations: string[] = [];
  const next = body['next_cursor'];
  if (next !== null && typeof next !== 'string') violations.push(`next_cursor ${show(next)}`);
  const { values, opaque } = readQuery(pairs, world.context);
  const items = body['data'] as unknown[];
  const matches = (client: RegistryEntry & { expiresAt?: unknown }): string | null => {
    const status = values.get('status');
    if (status !== undefined && client.status !== status) return `status ${show(client.status)}`;
    const owner = values.get('owner_id');
    if (owner !== undefined && client.ownerId !== owner) return `owner_id ${show(client.ownerId)}`;
    const scope = values.get('scope');
    if (scope !== undefined && !client.scopes.includes(scope)) {
      return `scopes ${show(client.scopes)}`;
    }
    const prefix = values.get('name_prefix');
    if (prefix !== undefined && !client.name.startsWith(prefix)) {
      return `client_name ${show(client.name)}`;
    }
    return null;
  };
  for (const item of items) {
    violations.push(...clientViolations(item, 'listed client'));
    if (!isObject(item)) continue;
    const entry: RegistryEntry = {
      name: String(item['client_name']),
      status: String(item['status']),
      ownerId: typeof item['owner_id'] === 'string' ? item['owner_id'] : null,
      scopes: Array.isArray(item['scopes']) ? item['scopes'].map(String) : [],
    };
    const mismatch = matches(entry);
    if (mismatch !== null) {
      violations.push(`listed ${show(item['client_id'])} with ${mismatch}, outside the filter`);
    }
    const expiresAt = typeof item['expires_at'] === 'string' ? Date.parse(item['expires_at']) : NaN;
    const before = values.get('expires_before');
    if (
      before !== undefined &&
      !Number.isNaN(Date.parse(before)) &&
      !(expiresAt <= Date.parse(before))
    ) {
      violations.push(
        `listed ${show(item['client_id'])} expiring ${show(item['expires_at'])}, not before ${before}`,
      );
    }
    const days = values.get('expires_within_days');
    if (days !== undefined && /^\d+$/.test(days)) {
      const bound = answeredAt + Number(days) * 24 * 3600 * 1000;
      if (!(expiresAt <= bound)) {
        violations.push(
          `listed ${show(item['client_id'])} expiring ${show(item['expires_at'])}, not within ${days} days`,
        );
      }
    }
  }
  // Completeness: a last page under plain filters lists every client that matches them.
  const plain =
    [...opaque].length === 0 &&
    ![...values.keys()].some(
      (name) => !['limit', 'status', 'owner_id', 'scope', 'name_prefix'].includes(name),
    );
  if (plain && next === null && !world.registryUncertain) {
    const listed = new Set(items.map((item) => (isObject(item) ? item['client_id'] : undefined)));
    for (const [id, client] of world.registry) {
      if (matches(client) === null && !listed.has(id)) {
        violations.push(
          `the last page omits ${show(id)} named ${show(client.name)}, which matches the filters`,
        );
      }
    }
  }
  return violations;
}

/** Audit columns hold text as the database can store it: NUL as U+FFFD, cut to a length. */
function sameAuditText(stored: unknown, filter: string): boolean {
  if (typeof stored !== 'string') return false;
  const storable = filter.split('\u0000').join('\ufffd');
  return (
    stored === filter || stored === storable || (stored.length >= 64 && storable.startsWith(stored))
  );
}

function auditViolations(world: FuzzWorld, pairs: QueryPair[], body: unknown): string[] {
  if (!isObject(body) || !Array.isArray(body['data'])) {
    return [`audit 200 is not a page: ${show(body)}`];
  }
  const violations: string[] = [];
  const next = body['next_cursor'];
  if (next !== null && typeof next !== 'string') violations.push(`next_cursor ${show(next)}`);
  const { values } = readQuery(pairs, world.context);
  for (const event of body['data'] as unknown[]) {
    if (!isObject(event)) {
      violations.push(`audit event ${show(event)}`);
      continue;
    }
    const actor = isObject(event['actor']) ? event['actor'] : {};
    const fields: [string, unknown][] = [
      ['type', event['type']],
      ['client_id', event['client_id']],
      ['owner_id', event['owner_id']],
      ['actor_id', actor['id']],
    ];
    for (const [name, stored] of fields) {
      const filter = values.get(name);
      if (filter !== undefined && !sameAuditText(stored, filter)) {
        violations.push(
          `audit event ${show(event['id'])} with ${name} ${show(stored)}, outside the filter ${show(filter)}`,
        );
      }
    }
    const at = typeof event['occurred_at'] === 'string' ? Date.parse(event['occurred_at']) : NaN;
    const since = Date.parse(values.get('since') ?? '');
    const until = Date.parse(values.get('until') ?? '');
    if (!Number.isNaN(since) && !(at >= since)) {
      violations.push(`audit event at ${show(event['occurred_at'])}, before since`);
    }
    if (!Number.isNaN(until) && !(at < until)) {
      violations.push(`audit event at ${show(event['occurred_at'])}, not before until`);
    }
  }
  return violations;
}

function pathId(
  spec: { id: UrlText },
  request: FuzzRequest,
  context: FuzzContext,
): string | undefined {
  const decoded = decodedUrlText(spec.id, context);
  if (decoded !== undefined) return decoded;
  try {
    return decodeURIComponent(request.target.slice('/m2m/clients/'.length));
  } catch {
    return undefined;
  }
}

/** The members and query parameters each operation knows; it refuses any other. */
const KNOWN: Record<AdminCase['op'], readonly string[]> = {
  create: [
    'client_name',
    'description',
    'scopes',
    'audiences',
    'metadata',
    'expires_at',
    'owner_id',
    'token_endpoint_auth_method',
    'jwks',
    'jwks_uri',
  ],
  update: [
    'client_name',
    'description',
    'scopes',
    'audiences',
    'metadata',
    'expires_at',
    'status',
    'jwks',
    'jwks_uri',
  ],
  get: [],
  delete: [],
  list: [
    'limit',
    'cursor',
    'status',
    'owner_id',
    'scope',
    'name_prefix',
    'expires_before',
    'expires_within_days',
  ],
  audit: ['limit', 'cursor', 'type', 'client_id', 'owner_id', 'actor_id', 'since', 'until'],
};

/** Names the request sent that the operation does not know (JSON bodies and queries only). */
function unknownNames(spec: AdminCase, request: FuzzRequest, context: FuzzContext): string[] {
  const known = KNOWN[spec.op];
  if (spec.op === 'list' || spec.op === 'audit') {
    // A bare empty name (`?&`) sends no parameter at all.
    return spec.query
      .filter(([name, value]) => name !== '' || value !== null)
      .map(([name]) => wellFormed(resolve(name, context)))
      .filter((name) => !known.includes(name));
  }
  const sent = spec.op === 'create' || spec.op === 'update' ? sentObject(request) : undefined;
  return sent === undefined ? [] : Object.keys(sent).filter((name) => !known.includes(name));
}

const SUCCESS: Record<AdminCase['op'], number> = {
  create: 201,
  update: 200,
  get: 200,
  delete: 204,
  list: 200,
  audit: 200,
};

/**
 * The admin API: RFC 9457 problems for every 4xx, and successes that show what was sent. Keeps
 * the registry (and `{{created.id}}`) up to date with what the answers say.
 */
export function adminViolations(
  world: FuzzWorld,
  spec: AdminCase,
  request: FuzzRequest,
  response: FuzzResponse,
  answeredAt: number,
): string[] {
  const violations = common(world, request, response);
  const { status } = response;
  if (status >= 400 && status < 500) return [...violations, ...problemViolations(response)];
  if (status < 200 || status >= 300) return violations;
  if (status !== SUCCESS[spec.op]) {
    violations.push(`${spec.op} answered ${status}, not ${SUCCESS[spec.op]}`);
  }
  const unknown = unknownNames(spec, request, world.context);
  if (unknown.length > 0) {
    violations.push(`${spec.op} accepted unknown members ${show(unknown)}, which must be refused`);
  }
  const body = response.json;
  switch (spec.op) {
    case 'create':
    case 'update': {
      const problems = clientViolations(
        body,
        spec.op === 'create' ? 'created client' : 'updated client',
      );
      violations.push(...problems);
      if (problems.length > 0 || !isObject(body)) break;
      const sent = sentObject(request);
      if (sent !== undefined) violations.push(...roundTripViolations(sent, body));
      if (spec.op === 'update') {
        const id = pathId(spec, request, world.context);
        if (id !== undefined && body['client_id'] !== id) {
          violations.push(`PATCH of ${show(id)} changed ${show(body['client_id'])}`);
        }
        if (!world.registry.has(String(body['client_id']))) world.registryUncertain = true;
      } else {
        world.context.values['created.id'] = String(body['client_id']);
      }
      remember(world, body);
      break;
    }
    case 'get': {
      const problems = clientViolations(body, 'client');
      violations.push(...problems);
      const id = pathId(spec, request, world.context);
      if (problems.length === 0 && id !== undefined && isObject(body) && body['client_id'] !== id) {
        violations.push(`GET of ${show(id)} answered ${show(body['client_id'])}`);
      }
      break;
    }
    case 'delete': {
      const id = pathId(spec, request, world.context);
      if (id === undefined || !world.registry.delete(id)) world.registryUncertain = true;
      if (response.text !== '') violations.push(`204 with a body ${show(response.text)}`);
      break;
    }
    case 'list':
      violations.push(...listViolations(world, spec.query, body, answeredAt));
      break;
    case 'audit':
      violations.push(...auditViolations(world, spec.query, body));
      break;
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Guarded route

/** `GET /demo/reports`: 200 only for the valid token, else an RFC 6750 challenge. */
export function guardViolations(
  world: FuzzWorld,
  request: FuzzRequest,
  response: FuzzResponse,
): string[] {
  const violations = common(world, request, response);
  const { status } = response;
  if (status === 200) {
    const authorization = requestHeader(request, 'Authorization') ?? '';
    const token = /^bearer +(\S+)$/i.exec(authorization.trim())?.[1];
    if (token !== world.context.values['guard.token']) {
      violations.push('200 for a request without the valid access token');
    }
    const body = response.json;
    if (!isObject(body) || body['requested_by'] !== world.context.values['reporter.id']) {
      violations.push(`200 with ${show(body)}`);
    }
  } else if (![400, 401, 403].includes(status)) {
    violations.push(`status ${status}, not 400, 401 or 403`);
  } else if (!/^Bearer realm=/.test(header(response, 'www-authenticate') ?? '')) {
    violations.push(
      `${status} with WWW-Authenticate ${show(header(response, 'www-authenticate'))}, not a Bearer challenge`,
    );
  }
  return violations;
}

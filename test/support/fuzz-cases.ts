import fc, { type Arbitrary } from 'fast-check';
import type { FuzzRequest } from './fuzz-http.js';
import {
  base64url,
  fuzzText,
  headerText,
  jsonValue,
  jwtSpec,
  percentEncode,
  PROTOTYPE_KEYS,
  renderJson,
  renderJwt,
  renderSegment,
  resolve,
  secretShaped,
  clientIdShaped,
  NASTY_CHARACTERS,
  type FuzzContext,
  type JsonSpec,
  type JwtSpec,
  type SegmentSpec,
  wellFormed,
} from './fuzz-values.js';

// The cases of the four fuzz properties, as plain data (what fast-check prints and shrinks),
// and how each becomes a request.

/** RFC 7523 §2.2 client assertion type. */
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Client ids and secrets of the fixtures that OAuth requests may use. */
const CLIENT_IDS = ['{{reporter.id}}', '{{admin.id}}', '{{introspector.id}}'] as const;
const CLIENT_SECRETS = ['{{reporter.secret}}', '{{admin.secret}}', '{{introspector.secret}}'];

/** Extra request headers that change how a body or a caller is read. */
function extraHeaders(): Arbitrary<[string, string][]> {
  const header = fc.oneof(
    fc.tuple(
      fc.constantFrom('Content-Encoding'),
      fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip'),
    ),
    fc.tuple(fc.constantFrom('Accept', 'Accept-Charset', 'X-Forwarded-For', 'Cookie'), headerText),
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant<[string, string][]>([]) },
    { weight: 1, arbitrary: fc.array(header, { maxLength: 2 }) },
  );
}

// ---------------------------------------------------------------------------------------------
// OAuth endpoints: token, introspection, revocation

export type OAuthEndpoint = '/oauth2/token' | '/oauth2/introspect' | '/oauth2/revoke';

/** A parameter value: text, or a JWT-looking token built when the request is. */
export type ParamValue = string | { jwt: JwtSpec };

/** How the request authenticates in the Authorization header. */
export type AuthSpec =
  /** Basic with `id:secret`, each form-urlencoded first (RFC 6749 §2.3.1) when `form`. */
  | { basic: [string, string]; form: boolean; scheme: string }
  /** Basic with the base64 of arbitrary bytes (no colon, invalid UTF-8, …). */
  | { basicBytes: number[]; scheme: string }
  /** Any header value: another scheme, undecodable base64, garbage. */
  | { header: string };

export type OAuthBody =
  /** A form; `filler` more parameters `f<i>=1` (past the parser's parameter limit at 100). */
  | { form: [string, ParamValue][]; filler: number }
  /** A JSON object of the parameters, with more members of any JSON value. */
  | { json: [string, ParamValue][]; extra: [string, JsonSpec][] }
  /** Any JSON text at the top: array, string, number, broken. */
  | { jsonText: JsonSpec }
  | { multipart: [string, ParamValue][] }
  /** Text sent as it is, in UTF-8 or (`latin1`) one byte per character. */
  | { raw: string; latin1: boolean };

export interface OAuthCase {
  endpoint: OAuthEndpoint;
  /** Appended to the path: '', a trailing slash or a query string. */
  suffix: string;
  /** The Content-Type header; `matching` names the body's own type. */
  contentType: string | null;
  body: OAuthBody | null;
  /** Authorization headers (a second one repeats the header). */
  authorization: AuthSpec[];
  headers: [string, string][];
}

const FORM = 'application/x-www-form-urlencoded';
/** Stands for the content type that the body is written in. */
const MATCHING = 'matching';

const OAUTH_CONTENT_TYPES = [
  FORM,
  `${FORM}; charset=utf-8`,
  `${FORM}; charset=UTF-8`,
  `${FORM}; charset="utf-8"`,
  `${FORM}; charset=latin1`,
  `${FORM}; charset=utf-16`,
  'APPLICATION/X-WWW-FORM-URLENCODED',
  `${FORM};;`,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=iso-8859-1',
  'application/merge-patch+json',
  'application/jwt',
  'text/plain',
  'text/plain; charset=utf-8',
  'multipart/form-data; boundary=fuzz',
  'application/octet-stream',
  '',
  '*/*',
];

const TOKEN_PARAMS = [
  'grant_type',
  'scope',
  'resource',
  'audience',
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;
const TOKEN_PARAMETER_PARAMS = [
  'token',
  'token_type_hint',
  'client_id',
  'client_secret',
  'client_assertion_type',
  'client_assertion',
] as const;

function oauthValues(endpoint: OAuthEndpoint) {
  const tokens =
    endpoint === '/oauth2/introspect'
      ? ['{{reporter.token}}', '{{admin.token}}']
      : // Revoking the admin token would leave the admin API without a caller.
        ['{{reporter.token}}'];
  const text = fuzzText([...CLIENT_IDS, ...CLIENT_SECRETS, ...tokens]);
  const jwt = jwtSpec(fuzzText(['{{reporter.id}}', '{{issuer}}'], { long: false }));
  // Credentials also go into Basic headers, which must stay below Node's 16 KB header limit.
  const credential = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...CLIENT_IDS, ...CLIENT_SECRETS) },
    { weight: 1, arbitrary: secretShaped },
    { weight: 1, arbitrary: clientIdShaped },
    {
      // A real id or secret with a nasty character before, inside or after it.
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom(...CLIENT_IDS, ...CLIENT_SECRETS, 'm2mc_'),
          fc.constantFrom(...NASTY_CHARACTERS, ' ', '%00', '\n'),
          fc.constantFrom('before', 'after', 'alone'),
        )
        .map(([value, nasty, where]) =>
          where === 'before' ? nasty + value : where === 'after' ? value + nasty : nasty,
        ),
    },
    {
      weight: 3,
      arbitrary: fuzzText([...CLIENT_IDS, ...CLIENT_SECRETS], { maxLongBytes: 1_000 }),
    },
  );
  const anyValue: Arbitrary<ParamValue> = fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 1, arbitrary: jwt.map((spec): ParamValue => ({ jwt: spec })) },
  );
  const specific: Record<string, Arbitrary<ParamValue>> = {
    grant_type: fc.constantFrom(
      'client_credentials',
      'client_credentials',
      'client_credentials',
      'password',
      'authorization_code',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'urn:ietf:params:oauth:grant-type:token-exchange',
      'Client_Credentials',
      'client_credentials ',
      'client_credentials\u0000',
    ),
    scope: fc.constantFrom(
      'reports:read',
      'm2m:admin',
      'm2m:introspect',
      'reports:read reports:read',
      '  reports:read  ',
      'reports:write',
      'openid offline_access',
      '"',
      'a\\b',
      'reports:read\u0000',
      'reports:read\treports:write',
      'é',
    ),
    resource: fc.constantFrom(
      'https://orders.example.com',
      'https://orders.example.com/',
      '{{issuer}}',
      'urn:example:orders',
      'not a uri',
      'https://a.example/#fragment',
      'javascript:alert(1)',
    ),
    client_id: credential,
    client_secret: credential,
    client_assertion_type: fc.constantFrom(
      JWT_BEARER,
      JWT_BEARER.toUpperCase(),
      'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
    ),
    client_assertion: jwt.map((spec): ParamValue => ({ jwt: spec })),
    token: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...tokens) },
      { weight: 2, arbitrary: jwt.map((spec): ParamValue => ({ jwt: spec })) },
      { weight: 1, arbitrary: text },
    ),
    token_type_hint: fc.constantFrom('access_token', 'refresh_token', 'id_token'),
  };
  specific['audience'] = specific['resource']!;
  const valueOf = (name: string): Arbitrary<ParamValue> =>
    fc.oneof(
      { weight: 3, arbitrary: specific[name] ?? anyValue },
      { weight: 1, arbitrary: anyValue },
    );
  const names = endpoint === '/oauth2/token' ? TOKEN_PARAMS : TOKEN_PARAMETER_PARAMS;
  const pair: Arbitrary<[string, ParamValue]> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...names)
        .chain((name) => valueOf(name).map((value): [string, ParamValue] => [name, value])),
    },
    {
      weight: 1,
      // Bracketed names, which body parsers turn into arrays, objects or odd keys.
      arbitrary: fc
        .tuple(
          fc.constantFrom(...names),
          fc.constantFrom('[]', '[x]', '[0]', '[a][b]', '[', '[]]', '.x'),
          anyValue,
        )
        .map(([name, bracket, value]): [string, ParamValue] => [`${name}${bracket}`, value]),
    },
    { weight: 1, arbitrary: fc.tuple(text, anyValue) },
  );
  return { text, credential, pair, valueOf };
}

/** A well-formed request of the endpoint, whose parameters the fuzz changes, drops and adds to. */
function template(endpoint: OAuthEndpoint): [string, ParamValue][] {
  if (endpoint === '/oauth2/token') {
    return [
      ['grant_type', 'client_credentials'],
      ['client_id', '{{reporter.id}}'],
      ['client_secret', '{{reporter.secret}}'],
      ['scope', 'reports:read'],
    ];
  }
  return [
    ['token', '{{reporter.token}}'],
    ['token_type_hint', 'access_token'],
    ['client_id', endpoint === '/oauth2/introspect' ? '{{introspector.id}}' : '{{reporter.id}}'],
    [
      'client_secret',
      endpoint === '/oauth2/introspect' ? '{{introspector.secret}}' : '{{reporter.secret}}',
    ],
  ];
}

/** Requests to one OAuth endpoint. */
export function oauthCase(endpoint: OAuthEndpoint): Arbitrary<OAuthCase> {
  const { text, credential, pair, valueOf } = oauthValues(endpoint);
  // Each parameter of the template is kept, dropped or given another value; more now and then.
  const templated = fc.tuple(
    ...template(endpoint).map(([name, value]) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant<[string, ParamValue][]>([[name, value]]) },
        { weight: 1, arbitrary: fc.constant<[string, ParamValue][]>([]) },
        {
          weight: 2,
          arbitrary: valueOf(name).map((other): [string, ParamValue][] => [[name, other]]),
        },
      ),
    ),
  );
  const params = fc
    .tuple(
      templated,
      fc.oneof(
        { weight: 2, arbitrary: fc.constant<[string, ParamValue][]>([]) },
        { weight: 1, arbitrary: fc.array(pair, { minLength: 1, maxLength: 5 }) },
      ),
    )
    .map(([kept, added]) => [...kept.flat(), ...added]);
  const body: Arbitrary<OAuthBody> = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record({
        form: params,
        filler: fc.oneof(
          { weight: 12, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.integer({ min: 90, max: 400 }) },
        ),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        json: params,
        extra: fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...TOKEN_PARAMS, 'token', ...PROTOTYPE_KEYS), text),
            jsonValue(text, text),
          ),
          { maxLength: 2 },
        ),
      }),
    },
    { weight: 1, arbitrary: jsonValue(text, text).map((jsonText) => ({ jsonText })) },
    { weight: 1, arbitrary: params.map((multipart) => ({ multipart })) },
    {
      weight: 2,
      arbitrary: fc.record({
        raw: fc
          .array(
            fc.oneof(
              text,
              fc.constantFrom('grant_type=client_credentials', '&', '=', 'client_id=', '%00'),
            ),
            { maxLength: 6 },
          )
          .map((parts) => parts.join('')),
        latin1: fc.boolean(),
      }),
    },
  );
  const scheme = fc.constantFrom('Basic ', 'Basic ', 'basic ', 'BASIC ', 'Basic  ', 'Basic\t');
  const auth: Arbitrary<AuthSpec> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        basic: fc.oneof(
          {
            weight: 2,
            arbitrary: fc.constantFrom<[string, string]>(
              ['{{reporter.id}}', '{{reporter.secret}}'],
              ['{{introspector.id}}', '{{introspector.secret}}'],
              // Swapped, and another client's secret.
              ['{{reporter.secret}}', '{{reporter.id}}'],
              ['{{reporter.id}}', '{{admin.secret}}'],
            ),
          },
          { weight: 3, arbitrary: fc.tuple(credential, credential) },
        ),
        form: fc.boolean(),
        scheme,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ basicBytes: fc.array(fc.nat(255), { maxLength: 40 }), scheme }),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          headerText,
          fc.constantFrom(
            'Basic',
            'Basic ',
            'Basic =',
            'Basic ====',
            'Basic Og==',
            'Basic OjA=',
            'Basic ÿÿÿÿ',
            'Basic YTpi YTpi',
            'Bearer {{reporter.token}}',
            'Bearer x',
            'Digest username="a"',
          ),
          fc.tuple(fc.constantFrom('Basic ', 'Bearer '), headerText).map(([s, v]) => s + v),
        )
        .map((header) => ({ header })),
    },
  );
  return fc.record({
    endpoint: fc.constant(endpoint),
    suffix: fc.oneof(
      { weight: 10, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.constantFrom('/', '?grant_type=password', '?scope[]=x&%ZZ') },
    ),
    contentType: fc.oneof(
      { weight: 12, arbitrary: fc.constant<string | null>(MATCHING) },
      { weight: 1, arbitrary: fc.constant<string | null>(FORM) },
      { weight: 1, arbitrary: fc.constant<string | null>('application/json') },
      { weight: 1, arbitrary: fc.constant<string | null>(null) },
      { weight: 2, arbitrary: fc.constantFrom(...OAUTH_CONTENT_TYPES) },
      { weight: 1, arbitrary: headerText },
    ),
    body: fc.oneof({ weight: 24, arbitrary: body }, { weight: 1, arbitrary: fc.constant(null) }),
    authorization: fc.oneof(
      { weight: 4, arbitrary: fc.constant<AuthSpec[]>([]) },
      { weight: 4, arbitrary: auth.map((one) => [one]) },
      { weight: 1, arbitrary: fc.array(auth, { minLength: 2, maxLength: 2 }) },
    ),
    headers: extraHeaders(),
  });
}

function renderParam(value: ParamValue, context: FuzzContext): string {
  return typeof value === 'string' ? resolve(value, context) : renderJwt(value.jwt, context);
}

function renderAuth(auth: AuthSpec, context: FuzzContext): string {
  if ('header' in auth) return resolve(auth.header, context);
  if ('basicBytes' in auth) return auth.scheme + Buffer.from(auth.basicBytes).toString('base64');
  const [id, secret] = auth.basic.map((part) => {
    const value = resolve(part, context);
    return auth.form ? percentEncode(value, true) : value;
  });
  return auth.scheme + Buffer.from(`${id}:${secret}`, 'utf8').toString('base64');
}

function renderOAuthBody(body: OAuthBody, context: FuzzContext): Buffer {
  if ('form' in body) {
    const pairs = body.form.map(
      ([name, value]) =>
        `${percentEncode(resolve(name, context), true)}=${percentEncode(renderParam(value, context), true)}`,
    );
    for (let i = 0; i < body.filler; i++) pairs.push(`f${i}=1`);
    return Buffer.from(pairs.join('&'), 'utf8');
  }
  if ('json' in body) {
    const members: [string, JsonSpec][] = [
      ...body.json.map(([name, value]): [string, JsonSpec] => [name, renderParam(value, context)]),
      ...body.extra,
    ];
    return Buffer.from(renderJson({ members }, context), 'utf8');
  }
  if ('jsonText' in body) return Buffer.from(renderJson(body.jsonText, context), 'utf8');
  if ('multipart' in body) {
    const parts = body.multipart.map(
      ([name, value]) =>
        `--fuzz\r\nContent-Disposition: form-data; name="${resolve(name, context)}"\r\n\r\n${renderParam(value, context)}\r\n`,
    );
    return Buffer.from(`${parts.join('')}--fuzz--\r\n`, 'utf8');
  }
  return Buffer.from(resolve(body.raw, context), body.latin1 ? 'latin1' : 'utf8');
}

function matchingType(body: OAuthBody | null): string | null {
  if (body === null) return null;
  if ('form' in body) return FORM;
  if ('json' in body || 'jsonText' in body) return 'application/json';
  if ('multipart' in body) return 'multipart/form-data; boundary=fuzz';
  // Raw text is mostly a hand-written form: raw bytes, NUL and broken escapes included.
  return FORM;
}

export function renderOAuthCase(spec: OAuthCase, context: FuzzContext): FuzzRequest {
  const headers: [string, string][] = [];
  const type = spec.contentType === MATCHING ? matchingType(spec.body) : spec.contentType;
  if (type !== null) headers.push(['Content-Type', type]);
  for (const auth of spec.authorization) headers.push(['Authorization', renderAuth(auth, context)]);
  headers.push(...spec.headers);
  return {
    method: 'POST',
    target: spec.endpoint + spec.suffix,
    headers,
    ...(spec.body === null ? {} : { body: renderOAuthBody(spec.body, context) }),
  };
}

// ---------------------------------------------------------------------------------------------
// Admin API

/**
 * A path segment or query value: text percent-encoded when rendered, text sent as written, or
 * JSON in base64url (what cursors are made of).
 */
export type UrlText = { encoded: string } | { raw: string } | { base64urlJson: JsonSpec };

/** A query parameter; a null value writes the name without `=`. */
export type QueryPair = [string, UrlText | null];

export type AdminBody = { json: JsonSpec } | { raw: string };

export type AdminCase =
  | { op: 'create'; contentType: string | null; body: AdminBody | null }
  | { op: 'update'; id: UrlText; contentType: string | null; body: AdminBody | null }
  | { op: 'get'; id: UrlText }
  | { op: 'delete'; id: UrlText }
  | { op: 'list'; query: QueryPair[] }
  | { op: 'audit'; query: QueryPair[] };

/** Placeholders that admin request bodies may use: none is a secret or a token. */
const ADMIN_PLACEHOLDERS = ['{{victim.id}}', '{{created.id}}', '{{reporter.id}}', '{{soon}}'];

/** Percent sequences and path pieces that decoders choke on. */
const RAW_URL_TEXT = [
  '%00',
  '%ZZ',
  '%',
  '%2',
  '%C0%80',
  '%ED%A0%80',
  '%FF',
  '%F0%9F%98',
  '%u0041',
  '..',
  '.',
  '%2e%2e',
  '%2F',
  'a%2Fb',
  '%5B%5D',
  ';x=1',
  "'",
  '"',
  '<',
  '{}',
  '|',
  '^',
  '`',
];

/** Names of clients the fixtures create, to give the `name_prefix` filter something to find. */
export const FIXTURE_NAMES = [
  'fuzz',
  'fuzz😀report',
  'fuzz\uffffend',
  'fuzz\uffff😀',
  'fuzz%_like',
  'Fuzz upper',
  'fuzz-é',
  'fuzz e\u0301',
  'fuzz\u0085next',
  'fuzz\t',
] as const;

const NAME_PREFIXES = [
  '',
  'f',
  'fuzz',
  'fuzz😀',
  'fuzz\ud83d',
  'fuzz\uffff',
  'fuzz%',
  'fuzz_',
  'fuzz%\\_',
  'Fuzz',
  'FUZZ',
  'fuzz-',
  'fuzz-e',
  'fuzz e',
  'fuzz\u0085',
  'fuzz\t',
  'fuzz\u0000',
  '\uffff',
  '😀',
];

const DATES = [
  '{{soon}}',
  '2099-01-01T00:00:00Z',
  '2030-02-30T00:00:00Z',
  '2030-13-01T00:00:00Z',
  '2030-01-01T24:00:00Z',
  '2030-01-01T23:59:60Z',
  '2030-01-01T00:00:00+25:00',
  '2030-01-01T00:00:00.123456789Z',
  '2030-01-01',
  '2030-01-01 00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '9999-12-31T23:59:59.999Z',
  '2030-W01-1',
  '2030-001',
  '20300101T000000Z',
  '2030-01-01T00:00:00,5Z',
  '2030-01-01T00Z',
  'now',
  '1e400',
  '',
];

function urlText(text: Arbitrary<string>): Arbitrary<UrlText> {
  return fc.oneof(
    { weight: 4, arbitrary: text.map((value): UrlText => ({ encoded: value })) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...RAW_URL_TEXT), fc.string({ maxLength: 6 })), {
          minLength: 1,
          maxLength: 4,
        })
        // Raw text must stay one path segment or one query value (no `/ ? # & =` or spaces) and
        // ASCII, or Node's parser answers 400 before the application sees the request.
        .map((parts) => parts.join('').replace(/[/?#&= ]/g, '_'))
        .filter((value) => value !== '')
        .map((value): UrlText => ({ raw: value })),
    },
  );
}

/** Cursors: tampered base64url JSON (huge timestamps, odd ids), or anything. */
function cursor(text: Arbitrary<string>): Arbitrary<UrlText> {
  const edge = fc.constantFrom<JsonSpec>(
    0,
    -1,
    1,
    1.5,
    9007199254740991,
    -9007199254740991,
    8.64e15,
    -8.64e15,
    8.64e15 + 1,
    253402300800000,
    -62135596800001,
    2147483648,
    -2147483649,
    4294967296,
    1e308,
    { literal: '1e400' },
    { literal: '-0' },
  );
  const id = fc.oneof(
    edge,
    fc.constantFrom<JsonSpec>('zzzz', '', '\u0000', 'm2mc_', '\uffff', '😀', 'a'.repeat(300)),
    text,
  );
  const json = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(edge, id).map((pair): JsonSpec => pair) },
    { weight: 1, arbitrary: jsonValue(text, text) },
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: json.map((base64urlJson): UrlText => ({ base64urlJson })),
    },
    { weight: 1, arbitrary: urlText(text) },
  );
}

function queryPairs(
  named: Record<string, Arbitrary<UrlText>>,
  text: Arbitrary<string>,
): Arbitrary<QueryPair[]> {
  const names = Object.keys(named);
  const pair: Arbitrary<QueryPair> = fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .constantFrom(...names)
        .chain((name) =>
          fc
            .oneof({ weight: 4, arbitrary: named[name]! }, { weight: 1, arbitrary: urlText(text) })
            .map((value): QueryPair => [name, value]),
        ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), fc.constantFrom('[]', '[0]', '[a]', '[__proto__]'))
        .map(([name, bracket]): QueryPair => [`${name}${bracket}`, { encoded: 'x' }]),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom('offset', 'sort', 'client_secret', ...PROTOTYPE_KEYS), text),
          fc.option(urlText(text), { nil: null }),
        )
        .map((entry): QueryPair => entry),
    },
  );
  return fc.array(pair, { maxLength: 4 });
}

/** Requests to the admin API, all with a valid admin token. */
export function adminCase(): Arbitrary<AdminCase> {
  const text = fuzzText(ADMIN_PLACEHOLDERS);
  // Metadata keys: those every object has (the pattern allows them), ordinary and invalid ones.
  const key = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 3, arbitrary: fc.constantFrom('tenant', 'tier', 'a.b:c-d_e', 'Z9') },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(41), '', 'a b', 'é') },
    { weight: 1, arbitrary: text },
  );
  const any = jsonValue(text, key);
  const leaf = fc.oneof(
    { weight: 3, arbitrary: text.map((value): JsonSpec => value) },
    { weight: 1, arbitrary: fc.integer().map((value): JsonSpec => value) },
    { weight: 1, arbitrary: fc.constantFrom<JsonSpec>(true, false, null, { literal: '1e400' }) },
  );
  const scope = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom<JsonSpec>(
        'reports:read',
        'reports:write',
        'm2m:introspect',
        'a',
        '!',
        '~',
        '',
        ' ',
        'a b',
        '"',
        '\\',
        'é',
        'x'.repeat(129),
      ),
    },
    { weight: 1, arbitrary: any },
  );
  /** Values of each member: mostly of the member's kind, with odd ones among them. */
  const member = (name: string): Arbitrary<JsonSpec> => {
    switch (name) {
      case 'client_name':
        return fc.oneof(
          {
            weight: 2,
            arbitrary: fc.constantFrom(...FIXTURE_NAMES, 'x'.repeat(201), '😀'.repeat(200)),
          },
          { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) },
          { weight: 3, arbitrary: text },
        );
      case 'description':
        return fc.oneof(text, fc.constant(null), fc.constant('d'.repeat(1001)));
      case 'scopes':
        return fc.oneof(
          {
            weight: 4,
            arbitrary: fc.uniqueArray(
              fc.constantFrom('reports:read', 'reports:write', 'm2m:introspect', 'a', '!', '~'),
              { maxLength: 3 },
            ),
          },
          { weight: 2, arbitrary: fc.array(scope, { maxLength: 4 }) },
          {
            weight: 1,
            arbitrary: fc
              .integer({ min: 99, max: 102 })
              .map((n): JsonSpec => Array.from({ length: n }, (_, i) => `s${i}`)),
          },
        );
      case 'metadata':
        return fc.oneof(
          {
            weight: 6,
            arbitrary: fc
              .array(
                fc.tuple(
                  key,
                  fc.oneof({ weight: 6, arbitrary: leaf }, { weight: 1, arbitrary: any }),
                ),
                {
                  maxLength: 5,
                },
              )
              .map((members): JsonSpec => ({ members })),
          },
          {
            weight: 1,
            arbitrary: fc.integer({ min: 45, max: 60 }).map((n): JsonSpec => ({
              members: Array.from({ length: n }, (_, i): [string, JsonSpec] => [`k${i}`, i]),
            })),
          },
          { weight: 1, arbitrary: fc.constantFrom<JsonSpec>(null, [], 'tenant') },
        );
      case 'expires_at':
        return fc.oneof(
          { weight: 3, arbitrary: fc.constant('{{soon}}') },
          { weight: 3, arbitrary: fc.constantFrom<JsonSpec>(...DATES, null, 0) },
          { weight: 1, arbitrary: text },
        );
      case 'owner_id':
        return fc.oneof(text, fc.constant(null), fc.constant('o'.repeat(201)));
      case 'audiences':
        return fc.oneof(
          fc.constantFrom<JsonSpec>([], ['https://orders.example.com'], [''], ['{{issuer}}']),
          any,
        );
      case 'token_endpoint_auth_method':
        return fc.constantFrom(
          'client_secret_basic',
          'client_secret_post',
          'private_key_jwt',
          'none',
        );
      case 'jwks_uri':
        return fc.constantFrom(
          'https://keys.example.com/jwks.json',
          'http://127.0.0.1:9/jwks',
          'javascript:alert(1)',
          'file:///etc/passwd',
          null,
        );
      case 'jwks':
        return fc.oneof(
          fc.constantFrom<JsonSpec>(
            { members: [['keys', []]] },
            { members: [['keys', [{ members: [['kty', 'oct']] }]]] },
            null,
          ),
          any,
        );
      case 'status':
        return fc.constantFrom('active', 'disabled', 'ACTIVE', 'deleted');
      default:
        return any;
    }
  };
  /** A member present `percent` of the time. */
  const sometimes = (name: string, percent: number): Arbitrary<[string, JsonSpec][]> =>
    fc.oneof(
      { weight: 100 - percent, arbitrary: fc.constant<[string, JsonSpec][]>([]) },
      {
        weight: percent,
        arbitrary: member(name).map((value): [string, JsonSpec][] => [[name, value]]),
      },
    );
  /** Now and then members of any value, unknown members, repeated and prototype names. */
  const oddMembers = (names: string[]): Arbitrary<[string, JsonSpec][]> =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constant<[string, JsonSpec][]>([]) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.tuple(
            fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom(...names) },
              {
                weight: 1,
                arbitrary: fc.constantFrom(
                  'client_id',
                  'client_secret',
                  'created_at',
                  'token_count',
                ),
              },
              { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
              { weight: 1, arbitrary: text },
            ),
            any,
          ),
          { minLength: 1, maxLength: 3 },
        ),
      },
    );
  const objectBody = (members: [string, number][]): Arbitrary<JsonSpec> =>
    fc
      .tuple(
        fc.tuple(...members.map(([name, percent]) => sometimes(name, percent))),
        oddMembers(members.map(([name]) => name)),
      )
      .map(([present, odd]): JsonSpec => ({ members: [...present.flat(), ...odd] }));
  const body = (members: [string, number][]): Arbitrary<AdminBody | null> =>
    fc.oneof(
      { weight: 12, arbitrary: objectBody(members).map((json): AdminBody => ({ json })) },
      { weight: 1, arbitrary: any.map((json): AdminBody => ({ json })) },
      { weight: 1, arbitrary: text.map((raw): AdminBody => ({ raw })) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant<string | null>('application/json') },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | null>(
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        FORM,
        'text/plain',
        'application/merge-patch+json',
        null,
      ),
    },
  );
  // How often each member is in a create or update body, in percent.
  const createMembers: [string, number][] = [
    ['client_name', 95],
    ['scopes', 95],
    ['description', 25],
    ['metadata', 50],
    ['expires_at', 25],
    ['owner_id', 25],
    ['audiences', 10],
    ['token_endpoint_auth_method', 10],
    ['jwks', 5],
    ['jwks_uri', 5],
  ];
  const updateMembers: [string, number][] = [
    ['client_name', 30],
    ['scopes', 25],
    ['description', 15],
    ['metadata', 40],
    ['expires_at', 15],
    ['status', 20],
    ['audiences', 5],
    ['jwks', 5],
    ['jwks_uri', 5],
  ];
  // Path ids are never empty: `/m2m/clients/` is another route.
  const writableId = urlText(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom('{{victim.id}}', '{{created.id}}') },
      {
        weight: 3,
        arbitrary: fuzzText(['{{victim.id}}', '{{created.id}}']).filter((id) => id !== ''),
      },
    ),
  );
  const readableId = urlText(
    fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...ADMIN_PLACEHOLDERS.slice(0, 3)) },
      { weight: 3, arbitrary: text.filter((id) => id !== '') },
    ),
  );
  const filter = fc.oneof(
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('reports:read', 'm2m:admin', 'owner-😀', 'owner-1')
        .map((value): UrlText => ({ encoded: value })),
    },
    { weight: 3, arbitrary: urlText(text) },
  );
  const number = (values: string[]) =>
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...values).map((v): UrlText => ({ encoded: v })) },
      { weight: 1, arbitrary: urlText(text) },
    );
  const limit = number(['1', '2', '20', '100', '0', '-1', '101', '1e2', '0x10', '1.5', '', ' 1']);
  const date = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...DATES).map((v): UrlText => ({ encoded: v })) },
    { weight: 1, arbitrary: urlText(text) },
  );
  const anyListQuery = queryPairs(
    {
      limit,
      cursor: cursor(text),
      status: number(['active', 'disabled', 'ACTIVE', '']),
      owner_id: filter,
      scope: filter,
      name_prefix: fc.oneof(
        {
          weight: 3,
          arbitrary: fc.constantFrom(...NAME_PREFIXES).map((v): UrlText => ({ encoded: v })),
        },
        { weight: 1, arbitrary: urlText(text) },
      ),
      expires_before: date,
      expires_within_days: number(['0', '1', '30', '3660', '3661', '-1', '1.5', '']),
    },
    text,
  );
  // Plain filters that the fixtures' names answer: the checks then know the whole result.
  const encoded = (values: readonly string[]) =>
    fc.constantFrom(...values).map((value): UrlText => ({ encoded: value }));
  const filterQuery = fc
    .tuple(
      encoded(NAME_PREFIXES).map((value): QueryPair => ['name_prefix', value]),
      fc.subarray<QueryPair>([
        ['status', { encoded: 'active' }],
        ['owner_id', { encoded: 'owner-😀' }],
        ['scope', { encoded: 'reports:read' }],
        ['limit', { encoded: '100' }],
      ]),
    )
    .map(([prefix, others]) => [prefix, ...others]);
  const listQuery = fc.oneof(
    { weight: 2, arbitrary: anyListQuery },
    { weight: 1, arbitrary: filterQuery },
  );
  const auditQuery = queryPairs(
    {
      limit,
      cursor: cursor(text),
      type: number(['client.created', 'client.updated', 'token.issued', 'CLIENT.CREATED', '']),
      client_id: fc.oneof(
        fc.constantFrom('{{victim.id}}', '{{reporter.id}}').map((v): UrlText => ({ encoded: v })),
        urlText(text),
      ),
      owner_id: filter,
      actor_id: fc.oneof(
        fc.constantFrom('{{admin.id}}', '{{reporter.id}}').map((v): UrlText => ({ encoded: v })),
        urlText(text),
      ),
      since: date,
      until: date,
    },
    text,
  );
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('create' as const),
        contentType,
        body: body(createMembers),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('update' as const),
        id: writableId,
        contentType,
        body: body(updateMembers),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('get' as const), id: readableId }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), id: writableId }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('list' as const), query: listQuery }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('audit' as const), query: auditQuery }) },
  );
}

/** The text of a path segment or query value as sent. */
export function renderUrlText(value: UrlText, context: FuzzContext): string {
  if ('raw' in value) return value.raw;
  if ('base64urlJson' in value) return base64url(renderJson(value.base64urlJson, context));
  return percentEncode(resolve(value.encoded, context));
}

/**
 * What the server decodes from a query value or path segment we encoded, or undefined when we
 * sent it raw (then the decoding is the server's business).
 */
export function decodedUrlText(value: UrlText, context: FuzzContext): string | undefined {
  if ('raw' in value) return undefined;
  if ('base64urlJson' in value) return base64url(renderJson(value.base64urlJson, context));
  return wellFormed(resolve(value.encoded, context));
}

function renderQuery(pairs: QueryPair[], context: FuzzContext): string {
  if (pairs.length === 0) return '';
  const parts = pairs.map(([name, value]) => {
    const key = percentEncode(resolve(name, context));
    return value === null ? key : `${key}=${renderUrlText(value, context)}`;
  });
  return `?${parts.join('&')}`;
}

function renderAdminBody(body: AdminBody, context: FuzzContext): Buffer {
  return Buffer.from(
    'json' in body ? renderJson(body.json, context) : resolve(body.raw, context),
    'utf8',
  );
}

export function renderAdminCase(spec: AdminCase, context: FuzzContext): FuzzRequest {
  const auth: [string, string] = ['Authorization', `Bearer ${context.values['admin.token']}`];
  switch (spec.op) {
    case 'list':
      return {
        method: 'GET',
        target: `/m2m/clients${renderQuery(spec.query, context)}`,
        headers: [auth],
      };
    case 'audit':
      return {
        method: 'GET',
        target: `/m2m/audit-events${renderQuery(spec.query, context)}`,
        headers: [auth],
      };
    case 'get':
    case 'delete':
      return {
        method: spec.op === 'get' ? 'GET' : 'DELETE',
        target: `/m2m/clients/${renderUrlText(spec.id, context)}`,
        headers: [auth],
      };
    case 'create':
    case 'update': {
      const headers: [string, string][] = [auth];
      if (spec.contentType !== null) headers.push(['Content-Type', spec.contentType]);
      return {
        method: spec.op === 'create' ? 'POST' : 'PATCH',
        target:
          spec.op === 'create' ? '/m2m/clients' : `/m2m/clients/${renderUrlText(spec.id, context)}`,
        headers,
        ...(spec.body === null ? {} : { body: renderAdminBody(spec.body, context) }),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Guarded demo route

/** Changes to the valid token of the guard fixture. */
export type Mutation =
  | 'none'
  | 'alg-none'
  | 'no-signature'
  | { append: string }
  | { truncate: number }
  | { flip: number }
  | { segment: [number, SegmentSpec] };

export type TokenSpec = { jwt: JwtSpec } | { valid: Mutation } | { text: string };

export type GuardAuth = { scheme: string; token: TokenSpec } | { header: string };

export interface GuardCase {
  authorization: GuardAuth[];
  headers: [string, string][];
}

/** b64token characters (RFC 6750 §2.1) and a few that break it. */
const tokenText = fc.string({
  unit: fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...'abcXYZ0189-._~+/='.split('')) },
    { weight: 1, arbitrary: fc.constantFrom(' ', '\t', ',', '"', '\xff', '%') },
  ),
  maxLength: 80,
});

export function guardCase(): Arbitrary<GuardCase> {
  const text = fuzzText(['{{reporter.id}}', '{{issuer}}'], { long: false });
  const jwt = jwtSpec(text);
  const mutation: Arbitrary<Mutation> = fc.oneof(
    fc.constantFrom<Mutation>('none', 'alg-none', 'no-signature'),
    fc.constantFrom('=', '==', '.', 'A', ' x', '.e30').map((append): Mutation => ({ append })),
    fc.integer({ min: 1, max: 40 }).map((truncate): Mutation => ({ truncate })),
    fc.nat(2000).map((flip): Mutation => ({ flip })),
    fc
      .tuple(
        fc.nat(3),
        jwt.map((spec) => spec.header),
      )
      .map((segment): Mutation => ({ segment })),
  );
  const token: Arbitrary<TokenSpec> = fc.oneof(
    { weight: 4, arbitrary: jwt.map((spec): TokenSpec => ({ jwt: spec })) },
    { weight: 3, arbitrary: mutation.map((valid): TokenSpec => ({ valid })) },
    { weight: 1, arbitrary: tokenText.map((value): TokenSpec => ({ text: value })) },
  );
  const auth: Arbitrary<GuardAuth> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        scheme: fc.constantFrom(
          'Bearer ',
          'Bearer ',
          'Bearer ',
          'bearer ',
          'BEARER ',
          'Bearer  ',
          'Bearer\t',
          'Bearer',
          'Bearer: ',
          'Token ',
          'Basic ',
          ' Bearer ',
        ),
        token,
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(headerText, fc.constantFrom('Bearer', 'Bearer ', 'Bearer a b', 'Bearer "x"'))
        .map((header): GuardAuth => ({ header })),
    },
  );
  return fc.record({
    authorization: fc.oneof(
      { weight: 1, arbitrary: fc.constant<GuardAuth[]>([]) },
      { weight: 8, arbitrary: auth.map((one) => [one]) },
      { weight: 1, arbitrary: fc.array(auth, { minLength: 2, maxLength: 2 }) },
    ),
    headers: extraHeaders(),
  });
}

function mutate(token: string, mutation: Mutation, context: FuzzContext): string {
  const segments = token.split('.');
  if (mutation === 'none') return token;
  if (mutation === 'alg-none') {
    return [base64url('{"alg":"none","typ":"at+jwt"}'), segments[1], ''].join('.');
  }
  if (mutation === 'no-signature') return `${segments[0]}.${segments[1]}.`;
  if ('append' in mutation) return token + mutation.append;
  if ('truncate' in mutation) return token.slice(0, -mutation.truncate);
  if ('flip' in mutation) {
    const at = mutation.flip % token.length;
    const flipped = token[at] === 'A' ? 'B' : 'A';
    return token.slice(0, at) + flipped + token.slice(at + 1);
  }
  const [index, segment] = mutation.segment;
  segments[index] = renderSegment(segment, context);
  return segments.join('.');
}

function renderToken(token: TokenSpec, context: FuzzContext): string {
  if ('jwt' in token) return renderJwt(token.jwt, context);
  if ('valid' in token) return mutate(context.values['guard.token']!, token.valid, context);
  return token.text;
}

export function renderGuardCase(spec: GuardCase, context: FuzzContext): FuzzRequest {
  const headers: [string, string][] = spec.authorization.map((auth) => [
    'Authorization',
    'header' in auth
      ? resolve(auth.header, context)
      : auth.scheme + renderToken(auth.token, context),
  ]);
  headers.push(...spec.headers);
  return { method: 'GET', target: '/demo/reports', headers };
}

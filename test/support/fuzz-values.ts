import fc, { type Arbitrary, type WeightedArbitrary } from 'fast-check';
import { crc32 } from 'node:zlib';

// Building blocks of the fuzz cases: hostile text, JSON with odd members, JWT-looking tokens,
// and the encoders that turn them into bytes. Cases refer to the live fixtures (client ids,
// secrets, tokens) through `{{placeholders}}`, resolved when the request is built, so that a
// counterexample reads well and replays with the same seed on a fresh server.

/** Values of the `{{name}}` placeholders, known once the fixtures exist. */
export interface FuzzContext {
  values: Record<string, string>;
}

/** Replaces every `{{name}}` that the context knows. */
export function resolve(text: string, context: FuzzContext): string {
  return text.replace(/\{\{([a-z.]+)\}\}/g, (whole, name: string) => context.values[name] ?? whole);
}

/** The text a server decodes from our UTF-8 bytes: lone surrogates become U+FFFD. */
export function wellFormed(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/**
 * Percent-encodes the UTF-8 bytes of `text`; RFC 3986 unreserved characters stay. With
 * `form`, as application/x-www-form-urlencoded does: `*` stays, `~` is encoded, space is `+`.
 */
export function percentEncode(text: string, form = false): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    if (form && char === ' ') out += '+';
    else if (form ? /^[A-Za-z0-9\-._*]$/.test(char) : UNRESERVED.test(char)) out += char;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function base64url(value: string | Uint8Array): string {
  return Buffer.from(typeof value === 'string' ? Buffer.from(value, 'utf8') : value).toString(
    'base64url',
  );
}

/** `unit` repeated up to about `bytes` bytes of UTF-8. */
function repeatToBytes(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(unit))));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE64URL_CHARS = [...`${BASE62}-_`];

/** The 6-character base62 CRC-32 that well-formed client secrets end with. */
function secretChecksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

const base64urlText = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE64URL_CHARS), minLength: length, maxLength: length });

/** Strings shaped like client secrets, half of them with a valid checksum (they reach bcrypt). */
export const secretShaped: Arbitrary<string> = fc
  .tuple(base64urlText(43), fc.boolean())
  .map(([random, valid]) => {
    const body = `m2ms_${random}`;
    return body + (valid ? secretChecksum(body) : 'AAAAAA');
  });

/** Strings shaped like client ids. */
export const clientIdShaped: Arbitrary<string> = base64urlText(22).map(
  (random) => `m2mc_${random}`,
);

/** Characters and fragments that break parsers, databases, encoders and logs. */
export const SPECIAL_TEXT = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b[31m',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u00a0',
  '\u00ff',
  '\u200b',
  '\u2028',
  '\u202e',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '😀',
  '👩‍💻',
  'é',
  'e\u0301',
  'İ',
  'ß',
  '%',
  '%00',
  '%ZZ',
  '&',
  '=',
  '+',
  ' ',
  '"',
  "'",
  '\\',
  '/',
  '[',
  ']',
  '{',
  '}',
  ':',
  ';',
  ',',
  '*',
  '_',
  '\r\n',
  '\n',
  '\t',
  "' OR '1'='1",
  '--',
  '${x}',
  '__proto__',
  'constructor',
  'null',
] as const;

/** The characters that databases, JSON and UTF-8 encoders most often get wrong. */
export const NASTY_CHARACTERS = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u0001',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ufeff',
] as const;

/**
 * Hostile text: printable ASCII, special characters, any code point, control bytes, and the
 * given placeholders, in random pieces; now and then one very long run (up to about 10 KB, or
 * `maxLongBytes`).
 */
export function fuzzText(
  placeholders: readonly string[] = [],
  options: { maxPieces?: number; long?: boolean; maxLongBytes?: number } = {},
): Arbitrary<string> {
  const pieces: WeightedArbitrary<string>[] = [
    { weight: 5, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_TEXT) },
    { weight: 2, arbitrary: fc.constantFrom(...NASTY_CHARACTERS) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 4 }) },
    { weight: 1, arbitrary: secretShaped },
    { weight: 1, arbitrary: clientIdShaped },
  ];
  if (placeholders.length > 0) {
    pieces.push({ weight: 3, arbitrary: fc.constantFrom(...placeholders) });
  }
  const short = fc.array(fc.oneof(...pieces), { maxLength: options.maxPieces ?? 5 });
  const text = short.map((parts) => parts.join(''));
  if (options.long === false) return text;
  return fc.oneof(
    { weight: 12, arbitrary: text },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('a', '\u0000', '😀', '%', 'é', '\ud800', ' ', 'm2ms_'),
          fc.integer({ min: 100, max: options.maxLongBytes ?? 10_000 }),
        )
        .map(([unit, bytes]) => repeatToBytes(unit, bytes)),
    },
  );
}

/** Characters a header value may carry (Node refuses others): VCHAR, SP, HTAB and obs-text. */
const headerChar = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 1, arbitrary: fc.constant(0x09) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
);

/** Text that can go into a header value. */
export const headerText: Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: headerChar.map((c) => String.fromCharCode(c)) }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '=', ' ', '\xff', '.'), fc.integer({ min: 100, max: 8_000 }))
      .map(([unit, length]) => unit.repeat(length)),
  },
);

/** JSON as the fuzz writes it: duplicate and `__proto__` members and odd number literals included. */
export type JsonSpec =
  | null
  | boolean
  | number
  | string
  | JsonSpec[]
  | { members: [string, JsonSpec][] }
  | { literal: string };

/** JSON text of a spec; strings go through the placeholders. */
export function renderJson(spec: JsonSpec, context: FuzzContext): string {
  if (spec === null || typeof spec === 'boolean' || typeof spec === 'number') {
    return JSON.stringify(spec);
  }
  if (typeof spec === 'string') return JSON.stringify(resolve(spec, context));
  if (Array.isArray(spec)) return `[${spec.map((item) => renderJson(item, context)).join(',')}]`;
  if ('literal' in spec) return spec.literal;
  return `{${spec.members
    .map(([key, value]) => `${JSON.stringify(resolve(key, context))}:${renderJson(value, context)}`)
    .join(',')}}`;
}

/** Number literals that JSON allows but that overflow, underflow or lose precision. */
const ODD_NUMBERS = [
  '1e400',
  '-1e400',
  '1E-400',
  '-0',
  '9007199254740993',
  '123456789012345678901234567890',
  '0.0000001',
];

/** Keys that name things on every JavaScript object. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
] as const;

/** Any JSON value, built from `text` for strings and `key` for member names. */
export function jsonValue(text: Arbitrary<string>, key: Arbitrary<string>): Arbitrary<JsonSpec> {
  const leaf: Arbitrary<JsonSpec> = fc.oneof(
    { weight: 4, arbitrary: text },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 2, arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.constantFrom(...ODD_NUMBERS).map((literal) => ({ literal })) },
  );
  const tree = fc.letrec<{ value: JsonSpec; array: JsonSpec[]; object: JsonSpec }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: leaf },
      { weight: 1, arbitrary: tie('array') },
      { weight: 1, arbitrary: tie('object') },
    ),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc
      .array(fc.tuple(key, tie('value')), { maxLength: 4 })
      .map((members): JsonSpec => ({ members })),
  }));
  return tree.value;
}

/** A JWT segment: JSON (base64url-encoded when rendered) or text sent as it is. */
export type SegmentSpec = { json: JsonSpec } | { text: string };

/** A JWT-looking token. */
export interface JwtSpec {
  header: SegmentSpec;
  payload: SegmentSpec;
  signature: string;
  /** More segments (JWE has five). */
  extra: string[];
}

export function renderSegment(segment: SegmentSpec, context: FuzzContext): string {
  return 'json' in segment
    ? base64url(renderJson(segment.json, context))
    : resolve(segment.text, context);
}

export function renderJwt(jwt: JwtSpec, context: FuzzContext): string {
  return [
    renderSegment(jwt.header, context),
    renderSegment(jwt.payload, context),
    resolve(jwt.signature, context),
    ...jwt.extra,
  ].join('.');
}

const segmentText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...BASE64URL_CHARS), maxLength: 60 }),
  fc.constantFrom('', '=', 'e30', 'bnVsbA', 'W10', 'eyJ', '!!', 'a+b/c='),
);

const ALGORITHMS = ['none', 'None', 'NONE', 'nOnE', 'HS256', 'RS256', 'ES256', 'EdDSA', 'PS256'];

/**
 * JWT-looking tokens: headers with `alg: none`, odd `kid`, `crit`, `jku` and paddings that make
 * them up to about 8 KB; payloads with our issuer and a client's id, or anything.
 */
export function jwtSpec(text: Arbitrary<string>): Arbitrary<JwtSpec> {
  const key = fc.oneof(
    fc.constantFrom('alg', 'typ', 'kid', 'crit', 'jku', 'x5u', 'jwk', 'b64', 'enc', 'zip', 'cty'),
    text,
  );
  const value = jsonValue(text, key);
  const headerMembers = fc.array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .oneof(fc.constantFrom(...ALGORITHMS), text)
          .map((alg): [string, JsonSpec] => ['alg', alg]),
      },
      {
        weight: 2,
        arbitrary: fc
          .constantFrom('at+jwt', 'application/at+jwt', 'JWT', 'jwt', '')
          .map((typ): [string, JsonSpec] => ['typ', typ]),
      },
      {
        weight: 1,
        arbitrary: fc
          .oneof(text, fc.constantFrom('../../../../etc/passwd', '\u0000', 'a'.repeat(300)))
          .map((kid): [string, JsonSpec] => ['kid', kid]),
      },
      { weight: 1, arbitrary: fc.tuple(key, value) },
      {
        weight: 1,
        arbitrary: fc
          .integer({ min: 100, max: 6_000 })
          .map((length): [string, JsonSpec] => ['x', 'p'.repeat(length)]),
      },
    ),
    { maxLength: 4 },
  );
  const claim = fc.oneof(
    { weight: 2, arbitrary: fc.constant<[string, JsonSpec]>(['iss', '{{issuer}}']) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('sub', 'client_id', 'iss')
        .map((name): [string, JsonSpec] => [name, '{{reporter.id}}']),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{{issuer}}', '{{issuer}}/oauth2/token', 'https://orders.example.com')
        .map((aud): [string, JsonSpec] => ['aud', aud]),
    },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom('reports:read', 'm2m:admin', 'reports:read m2m:admin', '*')
        .map((scope): [string, JsonSpec] => ['scope', scope]),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom('exp', 'iat', 'nbf'),
          fc.oneof(
            fc.constantFrom<JsonSpec>(4_102_444_800, 0, -1, 1e308, '4102444800', {
              literal: '1e400',
            }),
            fc.integer(),
          ),
        )
        .map(([name, time]): [string, JsonSpec] => [name, time]),
    },
    { weight: 1, arbitrary: fc.tuple(key, value) },
  );
  const segment = (members: Arbitrary<[string, JsonSpec][]>) =>
    fc.oneof(
      { weight: 6, arbitrary: members.map((list): SegmentSpec => ({ json: { members: list } })) },
      { weight: 1, arbitrary: value.map((json): SegmentSpec => ({ json })) },
      {
        weight: 1,
        arbitrary: segmentText.map((segmentText): SegmentSpec => ({ text: segmentText })),
      },
    );
  return fc.record({
    header: segment(headerMembers),
    payload: segment(fc.array(claim, { maxLength: 6 })),
    signature: fc.oneof(segmentText, fc.constant('{{guard.signature}}')),
    extra: fc.oneof(
      { weight: 6, arbitrary: fc.constant<string[]>([]) },
      { weight: 1, arbitrary: fc.array(segmentText, { maxLength: 3 }) },
    ),
  });
}

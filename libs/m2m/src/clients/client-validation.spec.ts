import { decodeClientCursor, encodeClientCursor } from './client-cursor.js';
import { checkExpiry, checkMetadata, checkName, checkScopes } from './client-validation.js';
import { FieldErrors } from '../errors/field-errors.js';

function errorsOf(check: (errors: FieldErrors) => void) {
  const errors = new FieldErrors();
  check(errors);
  return errors.list;
}

describe('client validation', () => {
  it('names: 1 to 200 characters, not blank', () => {
    expect(errorsOf((e) => checkName(e, 'n'.repeat(200)))).toEqual([]);
    expect(errorsOf((e) => checkName(e, ''))).toEqual([
      { pointer: '#/client_name', detail: 'must be a non-empty string' },
    ]);
    expect(errorsOf((e) => checkName(e, ' \t'))).toEqual([
      { pointer: '#/client_name', detail: 'must be a non-empty string' },
    ]);
    expect(errorsOf((e) => checkName(e, 'n'.repeat(201)))).toEqual([
      { pointer: '#/client_name', detail: 'must be at most 200 characters' },
    ]);
  });

  it.each([[undefined], [null], [42], [['a']]])('names: a non-string %j is rejected', (name) => {
    expect(errorsOf((e) => checkName(e, name))).toEqual([
      { pointer: '#/client_name', detail: 'must be a non-empty string' },
    ]);
  });

  it('names: 200 characters outside the BMP are 200 characters (JSON Schema maxLength counts code points)', () => {
    expect(errorsOf((e) => checkName(e, '😀'.repeat(200)))).toEqual([]);
    expect(errorsOf((e) => checkName(e, '😀'.repeat(201)))).toEqual([
      { pointer: '#/client_name', detail: 'must be at most 200 characters' },
    ]);
  });

  it('scopes: each pointer names the offending item', () => {
    expect(errorsOf((e) => checkScopes(e, ['a', '', 'a"b', 7, 'x'.repeat(129)]))).toEqual(
      [1, 2, 3, 4].map((i) => ({
        pointer: `#/scopes/${i}`,
        detail:
          'must be a scope token: 1 to 128 printable ASCII characters without spaces, quotes or backslashes',
      })),
    );
  });

  it('scopes: only scopes in the allowed set (fail closed)', () => {
    expect(errorsOf((e) => checkScopes(e, ['reports:read'], ['reports:read']))).toEqual([]);
    expect(
      errorsOf((e) => checkScopes(e, ['reports:read', 'm2m:admin', 'x'], ['reports:read'])),
    ).toEqual([
      { pointer: '#/scopes/1', detail: '"m2m:admin" is not a scope you may grant' },
      { pointer: '#/scopes/2', detail: '"x" is not a scope you may grant' },
    ]);
    expect(errorsOf((e) => checkScopes(e, ['a'], []))).toEqual([
      { pointer: '#/scopes/0', detail: '"a" is not a scope you may grant' },
    ]);
  });

  it('scopes: exactly 100 is allowed, an empty list too', () => {
    expect(
      errorsOf((e) =>
        checkScopes(
          e,
          Array.from({ length: 100 }, (_, i) => `s${i}`),
        ),
      ),
    ).toEqual([]);
    expect(errorsOf((e) => checkScopes(e, []))).toEqual([]);
  });

  it('scopes: tokens, no duplicates, at most 100', () => {
    expect(errorsOf((e) => checkScopes(e, ['a', 'b:c']))).toEqual([]);
    expect(errorsOf((e) => checkScopes(e, ['ok', 'with space', 'ok']))).toEqual([
      {
        pointer: '#/scopes/1',
        detail:
          'must be a scope token: 1 to 128 printable ASCII characters without spaces, quotes or backslashes',
      },
      { pointer: '#/scopes/2', detail: 'duplicates "ok"' },
    ]);
    expect(errorsOf((e) => checkScopes(e, 'a'))).toEqual([
      { pointer: '#/scopes', detail: 'must be an array of scope strings' },
    ]);
    expect(
      errorsOf((e) =>
        checkScopes(
          e,
          Array.from({ length: 101 }, (_, i) => `s${i}`),
        ),
      ),
    ).toEqual([{ pointer: '#/scopes', detail: 'must have at most 100 items' }]);
  });

  it('metadata: a flat object of scalars, bounded', () => {
    expect(errorsOf((e) => checkMetadata(e, { a: 'x', b: 1, c: true, d: null }))).toEqual([]);
    expect(errorsOf((e) => checkMetadata(e, ['x']))).toEqual([
      { pointer: '#/metadata', detail: 'must be an object or null' },
    ]);
    expect(errorsOf((e) => checkMetadata(e, { a: { b: 1 } }))).toEqual([
      { pointer: '#/metadata/a', detail: 'must be a string, a finite number, a boolean or null' },
    ]);
    expect(errorsOf((e) => checkMetadata(e, { 'bad key': 1 }))).toEqual([
      {
        pointer: '#/metadata',
        detail: 'key "bad key" must be 1 to 40 characters of A-Z a-z 0-9 _ . : -',
      },
    ]);
    expect(
      errorsOf((e) =>
        checkMetadata(e, Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))),
      ),
    ).toEqual([{ pointer: '#/metadata', detail: 'must have at most 50 keys' }]);
    expect(errorsOf((e) => checkMetadata(e, { a: 'x'.repeat(5000) }))).toEqual([
      { pointer: '#/metadata', detail: 'must be at most 4096 bytes as JSON; it is 5008' },
    ]);
  });

  describe('metadata limits', () => {
    it.each([
      ['a string', 'x'],
      ['a number', 1],
      ['a boolean', true],
    ])('rejects %s as the whole metadata', (_name, metadata) => {
      expect(errorsOf((e) => checkMetadata(e, metadata))).toEqual([
        { pointer: '#/metadata', detail: 'must be an object or null' },
      ]);
    });

    it('accepts null and absent metadata', () => {
      expect(errorsOf((e) => checkMetadata(e, null))).toEqual([]);
      expect(errorsOf((e) => checkMetadata(e, undefined))).toEqual([]);
    });

    it('exactly 50 keys are allowed', () => {
      expect(
        errorsOf((e) =>
          checkMetadata(e, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]))),
        ),
      ).toEqual([]);
    });

    it('keys: 40 characters are allowed, 41 are not, nor an empty key', () => {
      expect(errorsOf((e) => checkMetadata(e, { ['k'.repeat(40)]: 1 }))).toEqual([]);
      expect(errorsOf((e) => checkMetadata(e, { ['k'.repeat(41)]: 1, '': 2 }))).toEqual([
        {
          pointer: '#/metadata',
          detail: `key "${'k'.repeat(41)}" must be 1 to 40 characters of A-Z a-z 0-9 _ . : -`,
        },
        {
          pointer: '#/metadata',
          detail: 'key "" must be 1 to 40 characters of A-Z a-z 0-9 _ . : -',
        },
      ]);
    });

    it.each([
      ['an array', ['x']],
      ['a nested object', { b: 1 }],
      ['NaN', Number.NaN],
      ['Infinity', Number.POSITIVE_INFINITY],
    ])('values: %s is rejected at its own pointer', (_name, value) => {
      expect(errorsOf((e) => checkMetadata(e, { tier: value }))).toEqual([
        {
          pointer: '#/metadata/tier',
          detail: 'must be a string, a finite number, a boolean or null',
        },
      ]);
    });

    it('size: 4096 bytes of JSON are allowed, 4097 are not', () => {
      // {"a":"…"} is 8 bytes around the value.
      expect(errorsOf((e) => checkMetadata(e, { a: 'x'.repeat(4088) }))).toEqual([]);
      expect(errorsOf((e) => checkMetadata(e, { a: 'x'.repeat(4089) }))).toEqual([
        { pointer: '#/metadata', detail: 'must be at most 4096 bytes as JSON; it is 4097' },
      ]);
    });

    it('size counts UTF-8 bytes, not characters', () => {
      expect(errorsOf((e) => checkMetadata(e, { a: 'é'.repeat(2100) }))).toEqual([
        { pointer: '#/metadata', detail: 'must be at most 4096 bytes as JSON; it is 4208' },
      ]);
    });
  });

  describe('expiry', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const lifetime = { defaultSeconds: 3600, minSeconds: 60, maxSeconds: 86_400 };
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

    it('within the bounds', () => {
      expect(errorsOf((e) => checkExpiry(e, at(60), now, lifetime))).toEqual([]);
      expect(errorsOf((e) => checkExpiry(e, at(86_400), now, lifetime))).toEqual([]);
    });

    it('too soon, too late, or never when a maximum is set', () => {
      expect(errorsOf((e) => checkExpiry(e, at(59), now, lifetime))).toEqual([
        { pointer: '#/expires_at', detail: 'must be at least 60 seconds in the future' },
      ]);
      expect(errorsOf((e) => checkExpiry(e, at(86_401), now, lifetime))).toEqual([
        { pointer: '#/expires_at', detail: 'must be at most 86400 seconds in the future' },
      ]);
      expect(errorsOf((e) => checkExpiry(e, null, now, lifetime))).toEqual([
        {
          pointer: '#/expires_at',
          detail: 'is required: clients must expire within 86400 seconds',
        },
      ]);
    });

    it('an invalid date is rejected', () => {
      expect(errorsOf((e) => checkExpiry(e, new Date(Number.NaN), now, lifetime))).toEqual([
        { pointer: '#/expires_at', detail: 'must be an RFC 3339 date-time' },
      ]);
    });

    it('a date in the past is too soon', () => {
      expect(errorsOf((e) => checkExpiry(e, at(-3600), now, lifetime))).toEqual([
        { pointer: '#/expires_at', detail: 'must be at least 60 seconds in the future' },
      ]);
    });

    it('never is allowed without a maximum', () => {
      expect(errorsOf((e) => checkExpiry(e, null, now, { ...lifetime, maxSeconds: null }))).toEqual(
        [],
      );
    });
  });
});

describe('list cursors', () => {
  it('round-trip a position', () => {
    const position = { createdAt: new Date('2026-11-22T10:00:00.123Z'), clientId: 'm2mc_x' };
    const cursor = encodeClientCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeClientCursor(cursor)).toEqual(position);
  });

  it('round-trips a client id with any characters', () => {
    const position = { createdAt: new Date(0), clientId: 'm2mc_"\\/é' };
    expect(decodeClientCursor(encodeClientCursor(position))).toEqual(position);
  });

  it.each([
    ['beyond the largest date', [8_640_000_000_000_001, 'm2mc_x']],
    ['the largest safe integer', [Number.MAX_SAFE_INTEGER, 'm2mc_x']],
  ])('rejects a timestamp that is no date (%s)', (_name, value) => {
    const cursor = Buffer.from(JSON.stringify(value)).toString('base64url');
    expect(decodeClientCursor(cursor)).toBeNull();
  });

  it.each([
    '',
    Buffer.from('{"createdAt":1,"clientId":"x"}').toString('base64url'),
    Buffer.from('[1,"x",2]').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('null').toString('base64url'),
    Buffer.from('[1,"x"]').toString('base64'),
  ])('reject more garbage: %j', (cursor) => {
    expect(decodeClientCursor(cursor)).toBeNull();
  });

  it.each([
    'bogus!',
    Buffer.from('not json').toString('base64url'),
    Buffer.from('[1]').toString('base64url'),
    Buffer.from('["x","y"]').toString('base64url'),
    Buffer.from('[1.5,"y"]').toString('base64url'),
    'a'.repeat(201),
  ])('reject garbage: %s', (cursor) => {
    expect(decodeClientCursor(cursor)).toBeNull();
  });
});

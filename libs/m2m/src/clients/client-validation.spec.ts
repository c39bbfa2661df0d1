import { decodeClientCursor, encodeClientCursor } from './client-cursor.js';
import {
  checkExpiry,
  checkMetadata,
  checkName,
  checkScopes,
  FieldErrors,
} from './client-validation.js';

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

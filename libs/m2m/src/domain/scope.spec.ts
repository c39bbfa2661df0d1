import { isScopeToken, splitScopeParameter } from './scope.js';

describe('scope syntax (RFC 6749 §3.3)', () => {
  it('accepts printable ASCII without space, quote or backslash', () => {
    expect(isScopeToken('reports:read')).toBe(true);
    expect(isScopeToken('a!#[]~')).toBe(true);
  });

  it.each(['', 'a b', 'a"b', 'a\\b', 'é', 'a\tb', 'x'.repeat(129)])('rejects %j', (value) => {
    expect(isScopeToken(value)).toBe(false);
  });

  it('tolerates extra spaces and drops duplicates, keeping order', () => {
    expect(splitScopeParameter('  b   a b ')).toEqual(['b', 'a']);
    expect(splitScopeParameter('   ')).toEqual([]);
  });
});

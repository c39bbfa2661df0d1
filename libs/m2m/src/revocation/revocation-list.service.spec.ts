import { DELETED_CLIENT_VERSION, RevocationList } from './revocation-list.service.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3600_000;

describe('RevocationList', () => {
  it('revokes a client’s tokens below the version, not those at or above it', () => {
    const list = new RevocationList();
    list.revokeClientTokens('c1', 2, NOW + HOUR);
    expect(list.isRevoked('c1', 0, 'j', NOW)).toBe(true);
    expect(list.isRevoked('c1', 1, 'j', NOW)).toBe(true);
    expect(list.isRevoked('c1', 2, 'j', NOW)).toBe(false);
    expect(list.isRevoked('c2', 0, 'j', NOW)).toBe(false);
  });

  it('revokes every token of a deleted client', () => {
    const list = new RevocationList();
    list.revokeClientTokens('gone', DELETED_CLIENT_VERSION, NOW + HOUR);
    expect(list.isRevoked('gone', 10_000, 'j', NOW)).toBe(true);
  });

  it('revokes single tokens by jti', () => {
    const list = new RevocationList();
    list.revokeToken('jti-1', NOW + HOUR);
    expect(list.isRevoked('c1', 0, 'jti-1', NOW)).toBe(true);
    expect(list.isRevoked('c1', 0, 'jti-2', NOW)).toBe(false);
  });

  it('never lowers a client’s version', () => {
    const list = new RevocationList();
    list.revokeClientTokens('c', 3, NOW + HOUR);
    list.revokeClientTokens('c', 1, NOW + HOUR);
    expect(list.isRevoked('c', 2, 'j', NOW)).toBe(true);
    expect(list.isRevoked('c', 3, 'j', NOW)).toBe(false);
  });

  it('stops applying an entry once every token it concerns has expired, and prunes it', () => {
    const list = new RevocationList();
    list.revokeToken('a', NOW + 1000);
    list.revokeClientTokens('c', 5, NOW + 1000);
    expect([
      list.isRevoked('c', 0, 'x', NOW + 999),
      list.isRevoked('d', 0, 'a', NOW + 999),
    ]).toEqual([true, true]);
    expect([
      list.isRevoked('c', 0, 'x', NOW + 1000),
      list.isRevoked('d', 0, 'a', NOW + 1000),
    ]).toEqual([false, false]);
    list.prune(NOW + 1000);
    list.revokeClientTokens('c', 1, NOW + HOUR);
    // The old version 5 is gone: a lower version applies again.
    expect(list.isRevoked('c', 1, 'x', NOW)).toBe(false);
  });
});

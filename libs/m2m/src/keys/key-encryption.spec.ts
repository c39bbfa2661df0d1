import { randomBytes } from 'node:crypto';
import { KeyDecryptionError, openPrivateJwk, sealPrivateJwk } from './key-encryption.js';

const JWK = { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: 'the-private-scalar-value' };

describe('signing key encryption at rest (AES-256-GCM)', () => {
  const kek = randomBytes(32);

  it('round-trips a private JWK', () => {
    expect(openPrivateJwk(sealPrivateJwk(JWK, kek, 'kid-1'), kek, 'kid-1')).toEqual(JWK);
  });

  it('never stores the private key material in clear', () => {
    const envelope = sealPrivateJwk(JWK, kek, 'kid-1');
    expect(envelope).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(envelope).not.toContain('the-private-scalar-value');
    expect(Buffer.from(envelope.split('.')[3]!, 'base64url').toString('latin1')).not.toContain(
      'private',
    );
  });

  it('uses a fresh IV each time', () => {
    expect(sealPrivateJwk(JWK, kek, 'k')).not.toBe(sealPrivateJwk(JWK, kek, 'k'));
  });

  it('refuses another key-encryption key, naming the setting to check', () => {
    const envelope = sealPrivateJwk(JWK, kek, 'kid-1');
    expect(() => openPrivateJwk(envelope, randomBytes(32), 'kid-1')).toThrow(
      new KeyDecryptionError(
        'signing key kid-1 cannot be decrypted: the key-encryption key is not the one it was stored with (check M2M_KEY_ENCRYPTION_KEY / keyEncryptionKey).',
      ),
    );
  });

  it('binds the envelope to its key id (moved to another row, it does not open)', () => {
    const envelope = sealPrivateJwk(JWK, kek, 'kid-1');
    expect(() => openPrivateJwk(envelope, kek, 'kid-2')).toThrow(KeyDecryptionError);
  });

  const flip = (part: string) => `${part.startsWith('A') ? 'B' : 'A'}${part.slice(1)}`;

  it.each([
    ['a tampered ciphertext', (p: string[]) => [p[0], p[1], p[2], flip(p[3]!)]],
    ['a tampered tag', (p: string[]) => [p[0], p[1], flip(p[2]!), p[3]]],
    ['a tampered IV', (p: string[]) => [p[0], flip(p[1]!), p[2], p[3]]],
    ['an unknown version', (p: string[]) => ['v2', p[1], p[2], p[3]]],
    ['a missing part', (p: string[]) => p.slice(0, 3)],
  ])('rejects %s', (_name, spoil) => {
    const parts = sealPrivateJwk(JWK, kek, 'k').split('.');
    expect(() => openPrivateJwk(spoil(parts).join('.'), kek, 'k')).toThrow(KeyDecryptionError);
  });
});

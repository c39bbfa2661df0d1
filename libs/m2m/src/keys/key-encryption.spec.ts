import { exportJWK, generateKeyPair } from 'jose';
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

  it('never stores the d value of a real private key, in any encoding', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const d = jwk.d!;
    const envelope = sealPrivateJwk(jwk, kek, 'kid-real');
    const dBytes = Buffer.from(d, 'base64url');
    for (const part of envelope.split('.')) {
      expect(part).not.toContain(d);
      expect(Buffer.from(part, 'base64url').includes(dBytes)).toBe(false);
      expect(Buffer.from(part, 'base64url').toString('utf8')).not.toContain(d);
    }
    expect(envelope).not.toContain(dBytes.toString('base64'));
    expect(envelope).not.toContain(dBytes.toString('hex'));
    expect(openPrivateJwk(envelope, kek, 'kid-real')).toEqual(jwk);
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

  it('refuses another key-encryption key: the message names M2M_KEY_ENCRYPTION_KEY', () => {
    const envelope = sealPrivateJwk(JWK, kek, 'kid-1');
    let caught: unknown;
    try {
      openPrivateJwk(envelope, randomBytes(32), 'kid-1');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(KeyDecryptionError);
    expect((caught as Error).name).toBe('KeyDecryptionError');
    expect((caught as Error).message).toContain('M2M_KEY_ENCRYPTION_KEY');
  });

  it('refuses a key-encryption key of the wrong length as a KeyDecryptionError', () => {
    const envelope = sealPrivateJwk(JWK, kek, 'kid-1');
    expect(() => openPrivateJwk(envelope, kek.subarray(0, 16), 'kid-1')).toThrow(
      KeyDecryptionError,
    );
  });

  it('binds the envelope to its key id (moved to another row, it does not open)', () => {
    const envelope = sealPrivateJwk(JWK, kek, 'kid-1');
    expect(() => openPrivateJwk(envelope, kek, 'kid-2')).toThrow(
      new KeyDecryptionError(
        'signing key kid-2 cannot be decrypted: the key-encryption key is not the one it was stored with (check M2M_KEY_ENCRYPTION_KEY / keyEncryptionKey).',
      ),
    );
  });

  it('refuses a truncated authentication tag (no tag-forgery shortcut)', () => {
    const [version, iv, tag, ciphertext] = sealPrivateJwk(JWK, kek, 'k').split('.');
    const short = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url');
    expect(() => openPrivateJwk([version, iv, short, ciphertext].join('.'), kek, 'k')).toThrow(
      KeyDecryptionError,
    );
  });

  it.each([
    ['an unknown version', (p: string[]) => ['v2', p[1], p[2], p[3]].join('.')],
    ['an extra part', (p: string[]) => [...p, 'AAAA'].join('.')],
    ['a missing part', (p: string[]) => p.slice(0, 3).join('.')],
    ['an empty string', () => ''],
  ])('names the format problem for %s', (_name, spoil) => {
    const parts = sealPrivateJwk(JWK, kek, 'k').split('.');
    expect(() => openPrivateJwk(spoil(parts), kek, 'k')).toThrow(
      new KeyDecryptionError('signing key k: unknown envelope format'),
    );
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

import { crc32 } from 'node:zlib';
import {
  generateClientId,
  generateClientSecret,
  isWellFormedSecret,
  secretHint,
} from './client-secret.js';

describe('client credentials format', () => {
  it('secrets: prefix + 256 random bits in base64url + checksum, shorter than bcrypt’s 72-byte limit', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^m2ms_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/);
    expect(Buffer.from(secret.slice(5, 48), 'base64url')).toHaveLength(32);
    expect(Buffer.byteLength(secret)).toBe(54);
    expect(Buffer.byteLength(secret)).toBeLessThan(72);
  });

  it('the checksum is the base62 CRC-32 of everything before it', () => {
    const secret = generateClientSecret();
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
    const decoded = [...secret.slice(-6)].reduce((n, c) => n * 62 + alphabet.indexOf(c), 0);
    expect(decoded).toBe(crc32(secret.slice(0, -6)));
  });

  describe('mistyped secrets are recognised before any hashing', () => {
    const secret = generateClientSecret();
    const swap = (i: number) =>
      secret.slice(0, i) + (secret[i] === 'a' ? 'b' : 'a') + secret.slice(i + 1);

    it('accepts the secret as issued', () => {
      expect(isWellFormedSecret(secret)).toBe(true);
    });

    it.each([5, 20, 47, 48, 53])('rejects one character changed at %i', (i) => {
      expect(isWellFormedSecret(swap(i))).toBe(false);
    });

    it.each([
      ['truncated', secret.slice(0, -1)],
      ['extended', `${secret}x`],
      ['another prefix', `ghp_${secret.slice(4)}`],
      ['whitespace', ` ${secret}`],
      ['empty', ''],
    ])('rejects %s', (_name, value) => {
      expect(isWellFormedSecret(value)).toBe(false);
    });
  });

  it('ids: prefix + 128 random bits in base64url', () => {
    const id = generateClientId();
    expect(id).toMatch(/^m2mc_[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id.slice(5), 'base64url')).toHaveLength(16);
  });

  it('never repeats (5000 samples each)', () => {
    expect(new Set(Array.from({ length: 5000 }, generateClientSecret)).size).toBe(5000);
    expect(new Set(Array.from({ length: 5000 }, generateClientId)).size).toBe(5000);
  });

  it('uses the whole alphabet (no biased or truncated encoding)', () => {
    const chars = new Set(
      Array.from({ length: 500 }, () => generateClientSecret().slice(5)).join(''),
    );
    expect(chars.size).toBe(64);
  });

  it('the hint is the last four characters', () => {
    expect(secretHint('m2ms_abcdefWXYZ')).toBe('WXYZ');
  });

  it('the hint of an issued secret is its last four characters and reveals none of the random part', () => {
    const secret = generateClientSecret();
    const hint = secretHint(secret);
    expect(hint).toBe(secret.slice(50));
    expect(hint).toHaveLength(4);
    // The last four characters are the checksum: no random bits are disclosed.
    expect(secret.slice(48)).toContain(hint);
  });

  it('secrets and ids are URL-safe: form-urlencoding leaves them unchanged (RFC 6749 §2.3.1)', () => {
    for (let i = 0; i < 200; i++) {
      const secret = generateClientSecret();
      const id = generateClientId();
      expect(encodeURIComponent(secret)).toBe(secret);
      expect(encodeURIComponent(id)).toBe(id);
      expect(`${secret}${id}`).toMatch(/^[A-Za-z0-9_-]+$/);
    }
  });

  it('at least 256 bits of randomness: 32 random bytes, 43 base64url characters', () => {
    const secret = generateClientSecret();
    const random = secret.slice('m2ms_'.length, -6);
    expect(random).toHaveLength(43);
    expect(Buffer.from(random, 'base64url').toString('base64url')).toBe(random);
    expect(Buffer.from(random, 'base64url').length * 8).toBeGreaterThanOrEqual(256);
  });

  it('the whole secret, prefix included, is below bcrypt’s 72-byte limit', () => {
    for (let i = 0; i < 100; i++) {
      expect(Buffer.byteLength(generateClientSecret(), 'utf8')).toBeLessThan(72);
    }
  });
});

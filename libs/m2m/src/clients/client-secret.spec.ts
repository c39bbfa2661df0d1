import { generateClientId, generateClientSecret, secretHint } from './client-secret.js';

describe('client credentials format', () => {
  it('secrets: prefix + 256 random bits in base64url, shorter than bcrypt’s 72-byte limit', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^m2ms_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret.slice(5), 'base64url')).toHaveLength(32);
    expect(Buffer.byteLength(secret)).toBe(48);
    expect(Buffer.byteLength(secret)).toBeLessThan(72);
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
});

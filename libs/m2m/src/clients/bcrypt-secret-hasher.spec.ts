import type { ResolvedM2mOptions } from '../options/resolved-options.js';
import { BcryptSecretHasher } from './bcrypt-secret-hasher.js';
import { generateClientSecret } from './client-secret.js';

const hasher = new BcryptSecretHasher({ bcryptCost: 4 } as ResolvedM2mOptions);

describe('BcryptSecretHasher', () => {
  it('hashes with bcrypt at the configured cost, never storing the secret', async () => {
    const secret = generateClientSecret();
    const hash = await hasher.hash(secret);
    expect(hash).toMatch(/^\$2[aby]\$04\$[./A-Za-z0-9]{53}$/);
    expect(hash).not.toContain(secret.slice(5));
  });

  it('verifies the right secret and refuses a wrong one', async () => {
    const secret = generateClientSecret();
    const hash = await hasher.hash(secret);
    expect(await hasher.verify(secret, hash)).toBe(true);
    expect(await hasher.verify(generateClientSecret(), hash)).toBe(false);
  });

  it('every character of an issued secret counts (the whole secret is under 72 bytes)', async () => {
    const secret = generateClientSecret();
    const hash = await hasher.hash(secret);
    const lastChanged = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(await hasher.verify(lastChanged, hash)).toBe(false);
  });

  it('salts: the same secret hashes differently each time', async () => {
    const secret = generateClientSecret();
    expect(await hasher.hash(secret)).not.toBe(await hasher.hash(secret));
  });
});

import {
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type CryptoKey,
} from 'jose';
import { M2M_SIGNING_ALGORITHMS } from '../options/module-options.js';
import { createJwsSigner } from './jws-signer.js';

describe('createJwsSigner', () => {
  it.each(M2M_SIGNING_ALGORITHMS)(
    '%s: a compact JWS that jose verifies with the public key, pinned to that algorithm',
    async (alg) => {
      const { privateKey, publicKey } = await generateKeyPair(alg, {
        extractable: true,
        ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
      });
      // Keys are stored as JWKs and imported again, as the signing-key service does.
      const imported = (await importJWK(await exportJWK(privateKey), alg)) as CryptoKey;
      const claims = { iss: 'https://auth.example.com', sub: 'm2mc_a', exp: 4_000_000_000, n: 'é' };
      const token = await createJwsSigner(alg, 'kid-1', imported)(claims);
      expect(token.split('.')).toHaveLength(3);
      expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'at+jwt', kid: 'kid-1' });
      const verified = await jwtVerify(token, publicKey, { algorithms: [alg], typ: 'at+jwt' });
      expect(verified.payload).toEqual(claims);
    },
  );

  it('signs each payload anew: two payloads, two signatures', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const sign = createJwsSigner('ES256', 'k', privateKey);
    const [a, b] = await Promise.all([sign({ jti: 'a' }), sign({ jti: 'b' })]);
    expect(a.split('.')[0]).toBe(b.split('.')[0]);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });
});

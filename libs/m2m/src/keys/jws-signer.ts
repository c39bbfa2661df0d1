import { constants, KeyObject, sign, type SignKeyObjectInput } from 'node:crypto';
import type { CryptoKey } from 'jose';
import type { M2mSigningAlgorithm } from '../options/module-options.js';

/** Signs the JWS payloads of one key: the compact serialization of RFC 7515 §7.1. */
export type JwsSigner = (payload: object) => Promise<string>;

/** How Node's crypto produces each algorithm's signature (RFC 7518 §3, RFC 8037 §3.1). */
function signatureOptions(
  alg: M2mSigningAlgorithm,
  key: KeyObject,
): [string | null, SignKeyObjectInput] {
  switch (alg) {
    case 'ES256':
      // JWS wants R || S, not the DER that OpenSSL produces by default (RFC 7518 §3.4).
      return ['sha256', { key, dsaEncoding: 'ieee-p1363' }];
    case 'EdDSA':
      return [null, { key }];
    case 'RS256':
      return ['sha256', { key, padding: constants.RSA_PKCS1_PADDING }];
    case 'PS256':
      return [
        'sha256',
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
        },
      ];
  }
}

/**
 * A synchronous signer for access tokens (`typ: at+jwt`, RFC 9068 §2.1) under one key: the
 * protected header is encoded once, each payload is serialised and signed with Node's crypto.
 * It avoids the asynchronous WebCrypto round trip per token; verification stays with jose.
 */
export function createJwsSigner(
  alg: M2mSigningAlgorithm,
  kid: string,
  privateKey: CryptoKey,
): JwsSigner {
  const [digest, options] = signatureOptions(alg, KeyObject.from(privateKey));
  const header = Buffer.from(JSON.stringify({ alg, typ: 'at+jwt', kid })).toString('base64url');
  return (payload) => {
    const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return new Promise((resolve, reject) =>
      // With a callback, Node signs in its thread pool: the event loop goes on meanwhile.
      sign(digest, Buffer.from(input), options, (error, signature) =>
        error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`),
      ),
    );
  };
}

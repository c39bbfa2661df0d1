import { M2mConfigurationError } from './errors/m2m-configuration.error.js';
import { decodeKeyEncryptionKey, resolveM2mOptions, type M2mModuleOptions } from './m2m-options.js';

const KEK = Buffer.alloc(32, 1).toString('base64');
const base: M2mModuleOptions = {
  issuer: 'https://auth.example.com',
  keyEncryptionKey: KEK,
  production: false,
};

function configError(options: Partial<M2mModuleOptions>): string {
  try {
    resolveM2mOptions({ ...base, ...options } as M2mModuleOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(M2mConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected an M2mConfigurationError');
}

describe('resolveM2mOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveM2mOptions(base)).toEqual({
      issuer: 'https://auth.example.com',
      audience: 'https://auth.example.com',
      keyEncryptionKey: Buffer.alloc(32, 1),
      scopes: [],
      resources: new Map(),
      resourceScopes: new Set(),
      accessTokenTtlSeconds: 3600,
      signingAlgorithm: 'ES256',
      bcryptCost: 10,
      clockToleranceSeconds: 5,
      realm: 'm2m',
      clientLifetime: { defaultSeconds: null, minSeconds: 60, maxSeconds: null },
      principalMetadata: false,
      auditFlushIntervalMs: 1000,
      revocationRefreshMs: 2000,
      metadataClaims: [],
      rotationGraceSeconds: null,
      signingKeyRotationDays: null,
      dynamicRegistration: null,
      rateLimit: { limit: 300, windowSeconds: 60, storage: undefined },
      production: false,
    });
  });

  it('strips trailing slashes from the issuer', () => {
    expect(resolveM2mOptions({ ...base, issuer: 'https://auth.example.com/tenant/' }).issuer).toBe(
      'https://auth.example.com/tenant',
    );
  });

  it.each([
    ['', '`issuer` is required'],
    ['not a url', '`issuer` must be an absolute URL'],
    ['ftp://auth.example.com', '`issuer` must be an https URL'],
    ['https://auth.example.com?x=1', '`issuer` must not have a query or fragment'],
    ['https://auth.example.com#f', '`issuer` must not have a query or fragment'],
  ])('rejects the issuer %j', (issuer, message) => {
    expect(configError({ issuer })).toContain(message);
  });

  describe('production mode refuses unsafe configuration', () => {
    it('an http issuer other than localhost', () => {
      expect(configError({ production: true, issuer: 'http://auth.example.com' })).toBe(
        'M2mModule: in production `issuer` must be an https URL; got "http://auth.example.com". Set it to the public https URL.',
      );
    });

    it.each(['http://localhost:3000', 'http://127.0.0.1:3000'])('but allows %s', (issuer) => {
      expect(resolveM2mOptions({ ...base, production: true, issuer }).issuer).toBe(issuer);
    });

    it('a bcrypt cost below 10', () => {
      expect(configError({ production: true, bcryptCost: 9 })).toBe(
        'M2mModule: in production `bcryptCost` must be at least 10; got 9.',
      );
    });

    it('follows NODE_ENV by default', () => {
      const previous = process.env['NODE_ENV'];
      process.env['NODE_ENV'] = 'production';
      try {
        const { production: _omit, ...withoutMode } = base;
        expect(resolveM2mOptions(withoutMode).production).toBe(true);
      } finally {
        process.env['NODE_ENV'] = previous;
      }
    });
  });

  it.each(['HS256', 'none', 'RS512'])('refuses the signing algorithm %s', (alg) => {
    expect(configError({ signingAlgorithm: alg as never })).toBe(
      `M2mModule: \`signingAlgorithm\` must be one of ES256, EdDSA, RS256, PS256; got "${alg}".`,
    );
  });

  it.each([
    [
      { accessTokenTtlSeconds: 59 },
      'accessTokenTtlSeconds must be an integer from 60 to 86400; got 59.',
    ],
    [
      { accessTokenTtlSeconds: 86_401 },
      'accessTokenTtlSeconds must be an integer from 60 to 86400; got 86401.',
    ],
    [{ bcryptCost: 3 }, 'bcryptCost must be an integer from 4 to 15; got 3.'],
    [
      { clockToleranceSeconds: 61 },
      'clockToleranceSeconds must be an integer from 0 to 60; got 61.',
    ],
    [
      { realm: 'a"b' },
      '`realm` must be 1 to 100 printable ASCII characters without quotes or backslashes.',
    ],
    [{ scopes: ['a b'] }, '`scopes` must be an array of scope tokens'],
    [
      { clientLifetime: { maxSeconds: 3600 } },
      '`clientLifetime.defaultSeconds` is required when `clientLifetime.maxSeconds` is set',
    ],
    [
      { clientLifetime: { defaultSeconds: 7200, maxSeconds: 3600 } },
      'clientLifetime.defaultSeconds must be an integer from 60 to 3600',
    ],
  ])('refuses %j', (options, message) => {
    expect(configError(options as Partial<M2mModuleOptions>)).toContain(message);
  });

  it('turns the rate limit off with false', () => {
    expect(resolveM2mOptions({ ...base, rateLimit: false }).rateLimit).toBe(false);
  });
});

describe('decodeKeyEncryptionKey', () => {
  const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));

  it('accepts base64, base64url and raw bytes', () => {
    expect(decodeKeyEncryptionKey(bytes.toString('base64'))).toEqual(bytes);
    expect(decodeKeyEncryptionKey(bytes.toString('base64url'))).toEqual(bytes);
    expect(decodeKeyEncryptionKey(new Uint8Array(bytes))).toEqual(bytes);
  });

  it('requires exactly 32 bytes and says how to make one', () => {
    expect(() => decodeKeyEncryptionKey(Buffer.alloc(16).toString('base64'))).toThrow(
      new M2mConfigurationError(
        'M2mModule: `keyEncryptionKey` must decode to exactly 32 bytes; it decodes to 16. Generate one with `openssl rand -base64 32`.',
      ),
    );
  });

  it.each([undefined, '', 'not base64!'])('requires a key: %j', (value) => {
    expect(() => decodeKeyEncryptionKey(value)).toThrow(/`keyEncryptionKey` is required/);
  });
});

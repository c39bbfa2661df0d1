import { availableParallelism } from 'node:os';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';
import { decodeKeyEncryptionKey } from './option-sections.js';
import { resolveM2mOptions } from './resolve-options.js';
import { type M2mModuleOptions, type M2mRateLimitOptions } from './module-options.js';

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
      auditRetentionDays: 365,
      revocationRefreshMs: 2000,
      metadataClaims: [],
      rotationGraceSeconds: null,
      signingKeyRotationDays: null,
      dynamicRegistration: null,
      rateLimit: {
        failuresPerIp: 20,
        failuresPerClient: 10,
        windowSeconds: 60,
        issuanceQuota: null,
        storage: undefined,
      },
      credentialCache: { maxEntries: 10_000, ttlSeconds: 3600 },
      tokenCache: { maxEntries: 10_000 },
      secretVerification: {
        concurrency: Math.max(1, availableParallelism() - 1),
        maxQueued: 100,
        failureDelayMs: 250,
      },
      privateKeyJwt: {
        maxJwksBytes: 65_536,
        jwksTimeoutMs: 3000,
        maxConcurrentFetches: 4,
        allowedNetworks: [],
        acceptTokenEndpointAudience: false,
      },
      production: false,
    });
  });

  it('takes the issuance quota, with a 60-second window unless given', () => {
    expect(
      resolveM2mOptions({ ...base, rateLimit: { issuanceQuota: { limit: 600 } } }).rateLimit,
    ).toMatchObject({ issuanceQuota: { limit: 600, windowSeconds: 60 } });
  });

  it('turns the caches off with false', () => {
    const resolved = resolveM2mOptions({ ...base, credentialCache: false, tokenCache: false });
    expect([resolved.credentialCache, resolved.tokenCache]).toEqual([false, false]);
  });

  it('the audience defaults to the issuer (after normalisation) and can be set', () => {
    expect(resolveM2mOptions({ ...base, issuer: 'https://auth.example.com/' }).audience).toBe(
      'https://auth.example.com',
    );
    expect(resolveM2mOptions({ ...base, audience: 'https://api.example.com' }).audience).toBe(
      'https://api.example.com',
    );
  });

  it.each([
    ['https://auth.example.com/', 'https://auth.example.com'],
    ['https://auth.example.com//', 'https://auth.example.com'],
    ['http://localhost:3000/', 'http://localhost:3000'],
  ])('strips the trailing slash of %s', (issuer, expected) => {
    expect(resolveM2mOptions({ ...base, issuer }).issuer).toBe(expected);
  });

  it.each([
    'https://auth.example.com?',
    'https://auth.example.com/#',
    'https://a.example.com/?x#y',
  ])('rejects an issuer with an empty or non-empty query or fragment: %j', (issuer) => {
    expect(configError({ issuer })).toBe(
      `M2mModule: \`issuer\` must not have a query or fragment; got "${issuer}".`,
    );
  });

  it.each([
    ['not a url', 'M2mModule: `issuer` must be an absolute URL; got "not a url".'],
    ['/relative/path', 'M2mModule: `issuer` must be an absolute URL; got "/relative/path".'],
    [
      '',
      'M2mModule: `issuer` is required: the base URL of this server, e.g. https://auth.example.com.',
    ],
  ])('rejects the non-URL issuer %j with a message saying what to set', (issuer, message) => {
    expect(configError({ issuer })).toBe(message);
  });

  it('rejects a missing issuer', () => {
    expect(configError({ issuer: undefined as unknown as string })).toBe(
      'M2mModule: `issuer` is required: the base URL of this server, e.g. https://auth.example.com.',
    );
  });

  it.each([' https://auth.example.com', 'https://auth.example.com ', 'https://auth.example.com\n'])(
    'never keeps surrounding whitespace in the issuer (it becomes every token’s iss): %j',
    (issuer) => {
      let outcome: string;
      try {
        outcome = resolveM2mOptions({ ...base, issuer }).issuer;
      } catch (error) {
        expect(error).toBeInstanceOf(M2mConfigurationError);
        outcome = 'rejected';
      }
      expect(['rejected', 'https://auth.example.com']).toContain(outcome);
    },
  );

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

    it.each([
      'http://localhost:3000',
      'http://127.0.0.1:3000',
      'http://localhost',
      'http://[::1]:3000',
    ])('but allows %s', (issuer) => {
      expect(resolveM2mOptions({ ...base, production: true, issuer }).issuer).toBe(issuer);
    });

    it.each(['http://localhost.evil.example', 'http://127.0.0.1.nip.io', 'http://10.0.0.1'])(
      'refuses the look-alike http issuer %s',
      (issuer) => {
        expect(configError({ production: true, issuer })).toBe(
          `M2mModule: in production \`issuer\` must be an https URL; got "${issuer}". Set it to the public https URL.`,
        );
      },
    );

    it('allows an http issuer outside production', () => {
      expect(
        resolveM2mOptions({ ...base, production: false, issuer: 'http://auth.internal' }).issuer,
      ).toBe('http://auth.internal');
    });

    it('allows a bcrypt cost of exactly 10', () => {
      expect(resolveM2mOptions({ ...base, production: true, bcryptCost: 10 }).bcryptCost).toBe(10);
    });

    it('allows a low bcrypt cost outside production (fast tests)', () => {
      expect(resolveM2mOptions({ ...base, production: false, bcryptCost: 4 }).bcryptCost).toBe(4);
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

  it.each(['HS256', 'none', 'hs256', 'es256', ''])(
    'refuses the signing algorithm %j as an M2mConfigurationError',
    (alg) => {
      expect(() => resolveM2mOptions({ ...base, signingAlgorithm: alg as never })).toThrow(
        M2mConfigurationError,
      );
    },
  );

  it.each(['ES256', 'EdDSA', 'RS256', 'PS256'] as const)('accepts %s', (alg) => {
    expect(resolveM2mOptions({ ...base, signingAlgorithm: alg }).signingAlgorithm).toBe(alg);
  });

  describe('scopes', () => {
    it('keeps the configured scopes once each, m2m:admin included', () => {
      expect(
        resolveM2mOptions({ ...base, scopes: ['m2m:admin', 'reports:read', 'm2m:admin'] }).scopes,
      ).toEqual(['m2m:admin', 'reports:read']);
    });

    it.each([[['a"b']], [['a\\b']], [['']], [[42]], ['reports:read']])('refuses %j', (scopes) => {
      expect(configError({ scopes: scopes as never })).toBe(
        'M2mModule: `scopes` must be an array of scope tokens (printable ASCII without spaces or quotes).',
      );
    });
  });

  describe('clientLifetime', () => {
    it('accepts a default within the bounds', () => {
      expect(
        resolveM2mOptions({
          ...base,
          clientLifetime: { defaultSeconds: 3600, minSeconds: 60, maxSeconds: 86_400 },
        }).clientLifetime,
      ).toEqual({ defaultSeconds: 3600, minSeconds: 60, maxSeconds: 86_400 });
    });

    it('refuses a maximum without a default, saying why', () => {
      expect(configError({ clientLifetime: { maxSeconds: 3600 } })).toBe(
        'M2mModule: `clientLifetime.defaultSeconds` is required when `clientLifetime.maxSeconds` is set, since clients without an expiry would exceed it.',
      );
    });

    it('refuses a default shorter than the minimum', () => {
      expect(configError({ clientLifetime: { defaultSeconds: 30, minSeconds: 60 } })).toBe(
        'M2mModule: clientLifetime.defaultSeconds must be an integer from 60 to 3162240000; got 30.',
      );
    });

    it('refuses a maximum shorter than the minimum', () => {
      expect(
        configError({ clientLifetime: { defaultSeconds: 120, minSeconds: 600, maxSeconds: 300 } }),
      ).toBe(
        'M2mModule: clientLifetime.maxSeconds must be an integer from 600 to 3162240000; got 300.',
      );
    });
  });

  it.each([
    [
      { failuresPerIp: 0 },
      'M2mModule: rateLimit.failuresPerIp must be an integer from 1 to 1000000; got 0.',
    ],
    [
      { failuresPerClient: -1 },
      'M2mModule: rateLimit.failuresPerClient must be an integer from 1 to 1000000; got -1.',
    ],
    [
      { windowSeconds: 1.5 },
      'M2mModule: rateLimit.windowSeconds must be an integer from 1 to 86400; got 1.5.',
    ],
    [
      { issuanceQuota: { limit: 0 } },
      'M2mModule: rateLimit.issuanceQuota.limit must be an integer from 1 to 100000000; got 0.',
    ],
  ] as [M2mRateLimitOptions, string][])('refuses the rate limit %j', (rateLimit, message) => {
    expect(configError({ rateLimit })).toBe(message);
  });

  it.each([
    [
      { credentialCache: { ttlSeconds: 0 } },
      'M2mModule: credentialCache.ttlSeconds must be an integer from 1 to 86400; got 0.',
    ],
    [
      { tokenCache: { maxEntries: 0.5 } },
      'M2mModule: tokenCache.maxEntries must be an integer from 1 to 10000000; got 0.5.',
    ],
    [
      { secretVerification: { concurrency: 0 } },
      'M2mModule: secretVerification.concurrency must be an integer from 1 to 64; got 0.',
    ],
    [
      { secretVerification: { failureDelayMs: 20_000 } },
      'M2mModule: secretVerification.failureDelayMs must be an integer from 0 to 10000; got 20000.',
    ],
  ] as [Partial<M2mModuleOptions>, string][])('refuses %j', (given, message) => {
    expect(configError(given)).toBe(message);
  });

  it('every error names the module and is an M2mConfigurationError', () => {
    let caught: unknown;
    try {
      resolveM2mOptions({ ...base, bcryptCost: 99 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(M2mConfigurationError);
    expect((caught as Error).name).toBe('M2mConfigurationError');
    expect((caught as Error).message).toBe(
      'M2mModule: bcryptCost must be an integer from 4 to 15; got 99.',
    );
  });

  it('refuses a bad keyEncryptionKey through resolveM2mOptions too', () => {
    expect(configError({ keyEncryptionKey: Buffer.alloc(31).toString('base64') })).toBe(
      'M2mModule: `keyEncryptionKey` must decode to exactly 32 bytes; it decodes to 31. Generate one with `openssl rand -base64 32`.',
    );
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

  it('accepts base64 without padding and with surrounding whitespace', () => {
    expect(decodeKeyEncryptionKey(bytes.toString('base64').replace(/=+$/, ''))).toEqual(bytes);
    expect(decodeKeyEncryptionKey(` ${bytes.toString('base64')}\n`)).toEqual(bytes);
  });

  it('returns a Buffer copy of a Uint8Array', () => {
    const raw = new Uint8Array(bytes);
    const decoded = decodeKeyEncryptionKey(raw);
    expect(Buffer.isBuffer(decoded)).toBe(true);
    raw[0] = 0;
    expect(decoded[0]).toBe(250);
  });

  it.each([
    ['31 bytes of base64', Buffer.alloc(31, 9).toString('base64'), 31],
    ['33 bytes of base64', Buffer.alloc(33, 9).toString('base64'), 33],
    ['64 bytes of base64url', Buffer.alloc(64, 0xff).toString('base64url'), 64],
    ['a 64-character hex key (openssl rand -hex 32)', 'ab'.repeat(32), 48],
    ['31 raw bytes', new Uint8Array(31), 31],
    ['an empty Uint8Array', new Uint8Array(0), 0],
  ])('refuses %s', (_name, value, length) => {
    expect(() => decodeKeyEncryptionKey(value)).toThrow(
      new M2mConfigurationError(
        `M2mModule: \`keyEncryptionKey\` must decode to exactly 32 bytes; it decodes to ${length}. Generate one with \`openssl rand -base64 32\`.`,
      ),
    );
  });

  it.each([undefined, null, 42, {}])('refuses a non-key value: %j', (value) => {
    expect(() => decodeKeyEncryptionKey(value)).toThrow(
      new M2mConfigurationError(
        'M2mModule: `keyEncryptionKey` is required: 32 random bytes, base64-encoded. Generate one with `openssl rand -base64 32`.',
      ),
    );
  });

  it.each([undefined, '', 'not base64!'])('requires a key: %j', (value) => {
    expect(() => decodeKeyEncryptionKey(value)).toThrow(/`keyEncryptionKey` is required/);
  });
});

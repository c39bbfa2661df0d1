import { generateClientSecret } from '../libs/m2m/src/clients/client-secret.js';
import { tokenRequestFrom, type RawResponse } from './support/http-from.js';
import { basic, createClient, startServer, type TestServer } from './support/server.js';

// Callers are played from distinct loopback addresses (127.0.0.N).
const INVALID_CLIENT = {
  error: 'invalid_client',
  error_description: 'Client authentication failed.',
};

/** What a caller can observe of an answer: status, body and the headers that matter. */
function observable(response: RawResponse) {
  return {
    status: response.status,
    body: response.body,
    'www-authenticate': response.headers['www-authenticate'],
    'cache-control': response.headers['cache-control'],
    pragma: response.headers['pragma'],
    'retry-after': response.headers['retry-after'],
  };
}

describe('failure budgets (rateLimit.failuresPerIp / failuresPerClient)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      m2m: { rateLimit: { failuresPerIp: 4, failuresPerClient: 2 } },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const attempt = (from: string, id: string, secret: string) =>
    tokenRequestFrom(server.url, from, basic(id, secret));

  it('after a client’s budget is spent, even its right secret from a new address gets the same invalid_client', async () => {
    const victim = await createClient(server, ['reports:read']);
    const wrong = await attempt('127.0.0.11', victim.clientId, generateClientSecret());
    await attempt('127.0.0.12', victim.clientId, generateClientSecret());
    const refused = await attempt('127.0.0.13', victim.clientId, victim.clientSecret);
    expect(observable(refused)).toEqual(observable(wrong));
    expect(observable(refused)).toEqual({
      status: 401,
      body: INVALID_CLIENT,
      'www-authenticate': 'Basic realm="m2m", charset="UTF-8"',
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'retry-after': undefined,
    });
  });

  it('after an address’s budget is spent, its other clients are refused; other addresses are not', async () => {
    for (let i = 0; i < 4; i++) {
      await attempt('127.0.0.21', `m2mc_unknown${i}`, generateClientSecret());
    }
    const client = await createClient(server, ['reports:read']);
    expect(
      observable(await attempt('127.0.0.21', client.clientId, client.clientSecret)),
    ).toMatchObject({
      status: 401,
      body: INVALID_CLIENT,
    });
    expect((await attempt('127.0.0.22', client.clientId, client.clientSecret)).status).toBe(200);
  });

  it('only failures count: many clients behind one address are never limited by their successes', async () => {
    const clients = await Promise.all(
      Array.from({ length: 10 }, () => createClient(server, ['reports:read'])),
    );
    for (let round = 0; round < 5; round++) {
      for (const client of clients) {
        expect((await attempt('127.0.0.31', client.clientId, client.clientSecret)).status).toBe(
          200,
        );
      }
    }
    // Three failures fit in a budget of four; a new client still gets through.
    for (let i = 0; i < 3; i++)
      await attempt('127.0.0.31', `m2mc_typo${i}`, generateClientSecret());
    const late = await createClient(server, ['reports:read']);
    expect((await attempt('127.0.0.31', late.clientId, late.clientSecret)).status).toBe(200);
  });

  it('never locks out a client whose secret is cached, however its budget was spent', async () => {
    const client = await createClient(server, ['reports:read']);
    expect((await attempt('127.0.0.41', client.clientId, client.clientSecret)).status).toBe(200);
    await attempt('127.0.0.42', client.clientId, generateClientSecret());
    await attempt('127.0.0.43', client.clientId, generateClientSecret());
    // Spent: a right secret from a new address would be refused, but this pair is cached.
    expect((await attempt('127.0.0.44', client.clientId, client.clientSecret)).status).toBe(200);
  });
});

describe('failure budgets without the credential cache: known addresses', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      m2m: { credentialCache: false, rateLimit: { failuresPerIp: 50, failuresPerClient: 2 } },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('a client keeps authenticating from an address it used before while attackers spend its budget', async () => {
    const client = await createClient(server, ['reports:read']);
    const from = (address: string, secret: string) =>
      tokenRequestFrom(server.url, address, basic(client.clientId, secret));
    expect((await from('127.0.0.51', client.clientSecret)).status).toBe(200);
    await from('127.0.0.52', generateClientSecret());
    await from('127.0.0.52', generateClientSecret());
    expect((await from('127.0.0.51', client.clientSecret)).status).toBe(200);
    expect((await from('127.0.0.53', client.clientSecret)).status).toBe(401);
  });
});

describe('issuance quota (rateLimit.issuanceQuota)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      m2m: { rateLimit: { issuanceQuota: { limit: 2, windowSeconds: 60 } } },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('answers 429 temporarily_unavailable with Retry-After past the quota, per client', async () => {
    const client = await createClient(server, ['reports:read']);
    const other = await createClient(server, ['reports:read']);
    const request = (c: { clientId: string; clientSecret: string }) =>
      tokenRequestFrom(server.url, '127.0.0.61', basic(c.clientId, c.clientSecret));
    expect((await request(client)).status).toBe(200);
    expect((await request(client)).status).toBe(200);
    const limited = await request(client);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(observable(limited)).toEqual({
      status: 429,
      body: {
        error: 'temporarily_unavailable',
        error_description: 'Too many requests; retry later.',
      },
      'www-authenticate': undefined,
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'retry-after': String(retryAfter),
    });
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect((await request(other)).status).toBe(200);
  });

  it('does not count failed requests against the quota', async () => {
    const client = await createClient(server, ['reports:read']);
    const wrong = await tokenRequestFrom(
      server.url,
      '127.0.0.62',
      basic(client.clientId, generateClientSecret()),
    );
    expect(wrong.status).toBe(401);
    for (let i = 0; i < 2; i++) {
      const ok = await tokenRequestFrom(
        server.url,
        '127.0.0.62',
        basic(client.clientId, client.clientSecret),
      );
      expect(ok.status).toBe(200);
    }
  });
});

describe('failure delay (secretVerification.failureDelayMs)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      m2m: {
        secretVerification: { failureDelayMs: 300 },
        rateLimit: { failuresPerClient: 1, failuresPerIp: 100 },
      },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const timed = async (address: string, id: string, secret: string) => {
    const started = Date.now();
    const response = await tokenRequestFrom(server.url, address, basic(id, secret));
    return { status: response.status, ms: Date.now() - started };
  };

  it('no invalid_client leaves sooner than the delay, whatever the cause; successes are not delayed by it', async () => {
    const client = await createClient(server, ['reports:read']);
    const wrong = await timed('127.0.0.71', client.clientId, generateClientSecret());
    const spent = await timed('127.0.0.72', client.clientId, client.clientSecret);
    const unknown = await timed('127.0.0.73', 'm2mc_nobody', generateClientSecret());
    expect([wrong.status, spent.status, unknown.status]).toEqual([401, 401, 401]);
    for (const failure of [wrong, spent, unknown]) expect(failure.ms).toBeGreaterThanOrEqual(295);
    const other = await createClient(server, ['reports:read']);
    await timed('127.0.0.74', other.clientId, other.clientSecret);
    const warm = await timed('127.0.0.74', other.clientId, other.clientSecret);
    expect(warm.status).toBe(200);
    expect(warm.ms).toBeLessThan(295);
  });
});

describe('bounded verification queue (secretVerification.maxQueued)', () => {
  let server: TestServer;

  beforeAll(async () => {
    // Cost 12 makes one verification last long enough for the others to find the slot taken.
    server = await startServer({
      m2m: {
        bcryptCost: 12,
        secretVerification: { concurrency: 1, maxQueued: 0, failureDelayMs: 0 },
      },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('answers 503 temporarily_unavailable with Retry-After when no verification may wait', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => createClient(server, ['reports:read'])));
    const responses = await Promise.all(
      clients.map((client, i) =>
        tokenRequestFrom(server.url, `127.0.0.8${i}`, basic(client.clientId, client.clientSecret)),
      ),
    );
    const busy = responses.filter((response) => response.status === 503);
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(busy).toHaveLength(2);
    expect(observable(busy[0]!)).toEqual({
      status: 503,
      body: {
        error: 'temporarily_unavailable',
        error_description: 'The server is busy; retry later.',
      },
      'www-authenticate': undefined,
      'cache-control': 'no-store',
      pragma: 'no-cache',
      'retry-after': '1',
    });
  });
});

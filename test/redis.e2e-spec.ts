import { Redis } from 'ioredis';
import { generateClientSecret } from '../libs/m2m/src/clients/client-secret.js';
import { tokenRequestFrom } from './support/http-from.js';
import { basic, createClient, startServer, type TestServer } from './support/server.js';

// Needs a Redis server: CI starts one and sets M2M_TEST_REDIS_URL (see .ci/run). Without it,
// as on a fresh clone with only Node, this suite reports itself skipped.
const redisUrl = process.env['M2M_TEST_REDIS_URL'];
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('limits shared through Redis (REDIS_URL)', () => {
  let first: TestServer;
  let second: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    await redis.flushdb();
    const rateLimit = {
      failuresPerClient: 3,
      failuresPerIp: 100,
      issuanceQuota: { limit: 3, windowSeconds: 60 },
    };
    first = await startServer({ redisUrl: redisUrl!, m2m: { rateLimit } });
    // A second instance on the same database and the same Redis.
    second = await startServer({
      database: first.database,
      redisUrl: redisUrl!,
      m2m: { rateLimit, issuer: first.url, audience: first.url },
    });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await first.database.drop();
    await redis.quit();
  });

  it('counts the failures of every instance against one budget', async () => {
    const client = await createClient(first, ['reports:read']);
    const from = (server: TestServer, address: string, secret: string) =>
      tokenRequestFrom(server.url, address, basic(client.clientId, secret));
    expect((await from(first, '127.0.1.1', generateClientSecret())).status).toBe(401);
    expect((await from(second, '127.0.1.2', generateClientSecret())).status).toBe(401);
    // Neither instance saw three failures itself; together they did.
    expect((await from(first, '127.0.1.3', generateClientSecret())).status).toBe(401);
    expect(await redis.get(`m2m:rate:m2m-failures:client:${client.clientId}`)).toBe('3');
    const refused = await from(first, '127.0.1.4', client.clientSecret);
    expect([refused.status, refused.body]).toEqual([
      401,
      { error: 'invalid_client', error_description: 'Client authentication failed.' },
    ]);
    // The second instance learns at its next failure, and refuses from then on.
    await from(second, '127.0.1.5', generateClientSecret());
    expect((await from(second, '127.0.1.6', client.clientSecret)).status).toBe(401);
  });

  it('counts the tokens of every instance against one issuance quota', async () => {
    const client = await createClient(first, ['reports:read']);
    const issue = (server: TestServer) =>
      tokenRequestFrom(server.url, '127.0.1.20', basic(client.clientId, client.clientSecret));
    expect((await issue(first)).status).toBe(200);
    expect((await issue(second)).status).toBe(200);
    expect((await issue(first)).status).toBe(200);
    const limited = await issue(second);
    expect([limited.status, limited.body]).toEqual([
      429,
      { error: 'temporarily_unavailable', error_description: 'Too many requests; retry later.' },
    ]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(await redis.get(`m2m:rate:m2m-issuance:client:${client.clientId}`)).toBe('4');
  });

  it('reports Redis in the health check', async () => {
    const health = await first.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });
});

import { Redis } from 'ioredis';
import { basic, createClient, startServer, type TestServer } from './support/server.js';

// Needs a Redis server: CI starts one and sets M2M_TEST_REDIS_URL (see .ci/run). Without it,
// as on a fresh clone with only Node, this suite reports itself skipped.
const redisUrl = process.env['M2M_TEST_REDIS_URL'];
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('rate limits shared through Redis (REDIS_URL)', () => {
  let first: TestServer;
  let second: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(redisUrl!);
    await redis.flushdb();
    const rateLimit = { limit: 3, windowSeconds: 60 };
    first = await startServer({ redisUrl: redisUrl!, m2m: { rateLimit } });
    // A second instance on the same database and the same Redis.
    second = await startServer({
      database: first.database,
      redisUrl: redisUrl!,
      m2m: { rateLimit },
    });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await first.database.drop();
    await redis.quit();
  });

  it('counts the requests of every instance together', async () => {
    const client = await createClient(first, ['reports:read']);
    const attempt = (server: TestServer) =>
      server
        .http()
        .post('/oauth2/token')
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials' });

    expect((await attempt(first)).status).toBe(200);
    expect((await attempt(second)).status).toBe(200);
    expect((await attempt(first)).status).toBe(200);
    const limited = await attempt(second);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.body).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'Too many requests; retry later.',
    });
    expect(await redis.keys('m2m:rate:*')).toEqual(['m2m:rate:m2m-token:m2m-token:127.0.0.1']);
  });

  it('reports Redis in the health check', async () => {
    const health = await first.http().get('/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });
});

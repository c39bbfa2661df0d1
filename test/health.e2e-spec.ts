import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { HEALTH_CHECK_TIMEOUT_MS } from '../src/health/dependency-health.js';
import { REDIS } from '../src/redis/redis.module.js';
import { startServer, type TestServer } from './support/server.js';

/** A failed or hung check answers once its timeout passes, plus margin. */
const PROBE_LIMIT_MS = HEALTH_CHECK_TIMEOUT_MS + 1500;
const NO_CACHE = 'no-cache, no-store, must-revalidate';
/** What a driver error could carry and a health response must never show. */
const INTERNAL_CAUSE = 'connect ECONNREFUSED postgres://m2m:hunter2@db.internal:5432/m2m';

const never = () => new Promise<never>(() => undefined);

async function timed<T>(run: () => PromiseLike<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: Math.round(performance.now() - started) };
}

/** A dependency as terminus reports it when it answered. */
const up = { status: 'up', responseTime: expect.any(Number) };

describe('health checks', () => {
  let server: TestServer;
  let dataSource: DataSource;

  beforeAll(async () => {
    server = await startServer();
    dataSource = server.app.get(DataSource);
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  afterEach(() => jest.restoreAllMocks());

  it('GET /health/live: 200 {"status":"ok"}, never cached', async () => {
    const response = await server.http().get('/health/live');
    expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
    expect(response.headers['cache-control']).toBe(NO_CACHE);
  });

  it('GET /health/ready: 200 in the terminus format when the database answers', async () => {
    const response = await server.http().get('/health/ready');
    expect([response.status, response.body]).toEqual([
      200,
      { status: 'ok', info: { database: up }, error: {}, details: { database: up } },
    ]);
    expect(response.headers['cache-control']).toBe(NO_CACHE);
  });

  it('GET /health keeps its format', async () => {
    const response = await server.http().get('/health');
    expect([response.status, response.body]).toEqual([
      200,
      { status: 'ok', checks: { database: 'up' } },
    ]);
  });

  it('answers 503 within the check timeout when the database hangs; live stays 200', async () => {
    jest.spyOn(dataSource, 'query').mockImplementation(never);

    const ready = await timed(() => server.http().get('/health/ready'));
    expect(ready.ms).toBeLessThan(PROBE_LIMIT_MS);
    const down = {
      status: 'down',
      message: `timeout of ${HEALTH_CHECK_TIMEOUT_MS}ms exceeded`,
      responseTime: expect.any(Number),
    };
    expect([ready.value.status, ready.value.body]).toEqual([
      503,
      { status: 'error', info: {}, error: { database: down }, details: { database: down } },
    ]);
    expect(ready.value.headers['cache-control']).toBe(NO_CACHE);

    const combined = await timed(() => server.http().get('/health'));
    expect(combined.ms).toBeLessThan(PROBE_LIMIT_MS);
    expect([combined.value.status, combined.value.body]).toEqual([
      503,
      { status: 'unavailable', checks: { database: 'down' } },
    ]);

    const live = await timed(() => server.http().get('/health/live'));
    expect([live.value.status, live.value.body]).toEqual([200, { status: 'ok' }]);
    expect(live.ms).toBeLessThan(500);

    jest.restoreAllMocks();
    expect((await server.http().get('/health/ready')).status).toBe(200);
  });

  it('shows no driver message, address or stack when the database fails; logs the cause once', async () => {
    const before = server.logger.lines.length;
    jest.spyOn(dataSource, 'query').mockRejectedValue(new Error(INTERNAL_CAUSE));

    const ready = await server.http().get('/health/ready');
    const down = { status: 'down', message: 'unavailable', responseTime: expect.any(Number) };
    expect([ready.status, ready.body]).toEqual([
      503,
      { status: 'error', info: {}, error: { database: down }, details: { database: down } },
    ]);
    const combined = await server.http().get('/health');
    expect([combined.status, combined.body]).toEqual([
      503,
      { status: 'unavailable', checks: { database: 'down' } },
    ]);
    for (const text of [ready.text, combined.text]) {
      expect(text).not.toMatch(/ECONNREFUSED|hunter2|db\.internal|5432|\bat /);
    }

    jest.restoreAllMocks();
    expect((await server.http().get('/health/ready')).status).toBe(200);
    // The operator learns the cause, once per outage and not at every probe, and no stack.
    const health = server.logger.lines.slice(before).filter((line) => line.endsWith(' Health'));
    expect(health).toEqual([
      `warn The database is not answering: ${INTERNAL_CAUSE} Health`,
      'log The database is answering again Health',
    ]);
  });

  it('documents the three routes under Operations', async () => {
    const response = await server.http().get('/docs-json');
    const paths = (
      response.body as {
        paths: Record<string, { get: { tags: string[]; responses: Record<string, unknown> } }>;
      }
    ).paths;
    for (const path of ['/health', '/health/live', '/health/ready']) {
      expect(paths[path]?.get.tags).toEqual(['Operations']);
    }
    expect(Object.keys(paths['/health']!.get.responses).sort()).toEqual(['200', '503']);
    expect(Object.keys(paths['/health/live']!.get.responses)).toEqual(['200']);
    expect(Object.keys(paths['/health/ready']!.get.responses).sort()).toEqual(['200', '503']);
  });
});

// Needs a Redis server: CI starts one and sets M2M_TEST_REDIS_URL (see .ci/run). Without it,
// as on a fresh clone with only Node, these checks report themselves skipped.
const redisUrl = process.env['M2M_TEST_REDIS_URL'];
const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('health checks with REDIS_URL', () => {
  let server: TestServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startServer({ redisUrl: redisUrl! });
    redis = server.app.get<typeof REDIS, Redis>(REDIS);
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  afterEach(() => jest.restoreAllMocks());

  it('checks Redis in readiness and in /health', async () => {
    const ready = await server.http().get('/health/ready');
    expect([ready.status, ready.body]).toEqual([
      200,
      {
        status: 'ok',
        info: { database: up, redis: up },
        error: {},
        details: { database: up, redis: up },
      },
    ]);
    const combined = await server.http().get('/health');
    expect(combined.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });

  it('answers 503 within the check timeout when Redis hangs; the database stays up', async () => {
    jest.spyOn(redis, 'ping').mockImplementation(never);

    const ready = await timed(() => server.http().get('/health/ready'));
    expect(ready.ms).toBeLessThan(PROBE_LIMIT_MS);
    const down = {
      status: 'down',
      message: `timeout of ${HEALTH_CHECK_TIMEOUT_MS}ms exceeded`,
      responseTime: expect.any(Number),
    };
    expect([ready.value.status, ready.value.body]).toEqual([
      503,
      {
        status: 'error',
        info: { database: up },
        error: { redis: down },
        details: { database: up, redis: down },
      },
    ]);

    const combined = await timed(() => server.http().get('/health'));
    expect(combined.ms).toBeLessThan(PROBE_LIMIT_MS);
    expect([combined.value.status, combined.value.body]).toEqual([
      503,
      { status: 'unavailable', checks: { database: 'up', redis: 'down' } },
    ]);
  });

  it('shows no Redis error text when Redis fails', async () => {
    jest.spyOn(redis, 'ping').mockRejectedValue(new Error(`connect ECONNREFUSED ${redisUrl}`));
    const ready = await server.http().get('/health/ready');
    expect(ready.status).toBe(503);
    expect((ready.body as { error: unknown }).error).toEqual({
      redis: { status: 'down', message: 'unavailable', responseTime: expect.any(Number) },
    });
    expect(ready.text).not.toContain('ECONNREFUSED');
    expect(ready.text).not.toContain(new URL(redisUrl!).port);
  });
});

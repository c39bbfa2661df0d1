import { HEALTH_CHECK_TIMEOUT_MS } from '../src/health/dependency-health.js';
import { testDatabaseKind } from './support/database.js';
import {
  privatePostgresUnavailable,
  startPrivatePostgres,
  type PrivatePostgres,
} from './support/private-postgres.js';
import {
  basic,
  createClient,
  getToken,
  startServer,
  type SecretClient,
  type TestServer,
} from './support/server.js';

// The outages are made by stopping and freezing a PostgreSQL server, so the suite runs in the
// e2e-postgres project only (SQLite is a file in the process: it has no outage to simulate). It
// makes a private cluster for itself, since freezing the shared one would break every other suite
// running beside it; without the PostgreSQL server binaries it reports itself skipped.
const skipReason =
  testDatabaseKind() === 'postgres'
    ? privatePostgresUnavailable()
    : 'runs in the e2e-postgres project only';
const describeOutage = skipReason === undefined ? describe : describe.skip;

/** "Quickly" for the token endpoint: the pool's connection and query timeouts, plus margin. */
const TOKEN_ENDPOINT_LIMIT_MS = 6000;
/** Readiness answers once its checks time out, plus margin. */
const READINESS_LIMIT_MS = HEALTH_CHECK_TIMEOUT_MS + 1500;
/** How long a recovered database may take to be used again, without restarting the app. */
const RECOVERY_LIMIT_MS = 15_000;
/** Per test: the slowest step is a recovery poll. */
const TEST_TIMEOUT_MS = 60_000;
/** A hung request fails the test with a clear message, before the test's own timeout. */
const REQUEST_TIMEOUT_MS = 20_000;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: Math.round(performance.now() - started) };
}

/** Retries `run` until `done` holds or the recovery limit passes; returns the last answer. */
async function poll<T>(run: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + RECOVERY_LIMIT_MS;
  for (;;) {
    const value = await run();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describeOutage(
  skipReason === undefined ? 'database outage' : `database outage (${skipReason})`,
  () => {
    let postgres: PrivatePostgres;
    let server: TestServer;
    let reader: SecretClient;
    /** One client per outage that never asked for a token before it: no cached secret. */
    let coldClients: { stopped: SecretClient; paused: SecretClient };

    const tokenRequest = (client: SecretClient) =>
      server
        .http()
        .post('/oauth2/token')
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials' })
        .timeout(REQUEST_TIMEOUT_MS);

    const get = (path: string, token?: string) => {
      const request = server.http().get(path).timeout(REQUEST_TIMEOUT_MS);
      return token === undefined ? request : request.set('Authorization', `Bearer ${token}`);
    };

    beforeAll(async () => {
      postgres = await startPrivatePostgres();
      server = await startServer({
        database: {
          config: { type: 'postgres', url: postgres.url },
          url: postgres.url,
          // The whole cluster goes in afterAll.
          drop: async () => undefined,
        },
      });
      reader = await createClient(server, ['reports:read'], 'outage-reader');
      coldClients = {
        stopped: await createClient(server, ['reports:read'], 'outage-cold-stopped'),
        paused: await createClient(server, ['reports:read'], 'outage-cold-paused'),
      };
    }, TEST_TIMEOUT_MS);

    afterAll(async () => {
      await server?.close();
      await postgres?.destroy();
    }, TEST_TIMEOUT_MS);

    /**
     * The checks made during each outage, on a token issued before it and a client whose secret
     * has not been verified yet (so the token endpoint has to read the database).
     */
    function duringOutage(readerToken: () => string, cold: () => SecretClient): void {
      it(
        'keeps accepting tokens issued before the outage',
        async () => {
          const response = await get('/demo/reports', readerToken());
          expect(response.status).toBe(200);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'answers a token request that needs the database with 503 temporarily_unavailable, quickly',
        async () => {
          const { value: response, ms } = await timed(() => tokenRequest(cold()));
          expect({
            status: response.status,
            body: response.body as unknown,
            cacheControl: response.headers['cache-control'],
            retryAfter: response.headers['retry-after'],
          }).toEqual({
            status: 503,
            body: { error: 'temporarily_unavailable', error_description: expect.any(String) },
            cacheControl: 'no-store',
            retryAfter: expect.stringMatching(/^[1-9]\d*$/),
          });
          expect(ms).toBeLessThan(TOKEN_ENDPOINT_LIMIT_MS);
        },
        TEST_TIMEOUT_MS,
      );

      it(
        'reports not ready quickly, without internals, and still live',
        async () => {
          const { value: ready, ms } = await timed(() => get('/health/ready'));
          expect(ready.status).toBe(503);
          expect(ms).toBeLessThan(READINESS_LIMIT_MS);
          expect(ready.body).toEqual({
            status: 'error',
            info: {},
            error: { database: expect.objectContaining({ status: 'down' }) },
            details: { database: expect.objectContaining({ status: 'down' }) },
          });
          const database = (ready.body as { details: { database: Record<string, unknown> } })
            .details.database;
          expect(Object.keys(database).sort()).toEqual(['message', 'responseTime', 'status']);
          expect([`timeout of ${HEALTH_CHECK_TIMEOUT_MS}ms exceeded`, 'unavailable']).toContain(
            database['message'],
          );
          expect(ready.text).not.toContain(new URL(postgres.url).port);

          const combined = await timed(() => get('/health'));
          expect([combined.value.status, combined.value.body]).toEqual([
            503,
            { status: 'unavailable', checks: { database: 'down' } },
          ]);
          expect(combined.ms).toBeLessThan(READINESS_LIMIT_MS);

          const live = await timed(() => get('/health/live'));
          expect([live.value.status, live.value.body]).toEqual([200, { status: 'ok' }]);
          expect(live.ms).toBeLessThan(1000);
        },
        TEST_TIMEOUT_MS,
      );
    }

    /** Once the database is back: the same app, without a restart, issues and is ready again. */
    function afterRecovery(cold: () => SecretClient): void {
      it(
        'issues tokens and reports ready again without a restart',
        async () => {
          const token = await poll(
            () => tokenRequest(cold()),
            (response) => response.status === 200,
          );
          expect([token.status, token.body]).toEqual([
            200,
            expect.objectContaining({ token_type: 'Bearer' }),
          ]);
          const ready = await poll(
            () => get('/health/ready'),
            (response) => response.status === 200,
          );
          expect([ready.status, ready.body]).toEqual([
            200,
            expect.objectContaining({
              status: 'ok',
              details: { database: expect.objectContaining({ status: 'up' }) },
            }),
          ]);
        },
        TEST_TIMEOUT_MS,
      );
    }

    describe('stopped database (connections refused)', () => {
      let readerToken: string;

      beforeAll(async () => {
        readerToken = await getToken(server, reader, 'reports:read');
        await postgres.stop();
      }, TEST_TIMEOUT_MS);

      // Whatever failed above, the next scenario needs the database back.
      afterAll(() => postgres.start(), TEST_TIMEOUT_MS);

      duringOutage(
        () => readerToken,
        () => coldClients.stopped,
      );

      describe('after a restart of the database', () => {
        beforeAll(() => postgres.start(), TEST_TIMEOUT_MS);
        afterRecovery(() => coldClients.stopped);
      });
    });

    describe('paused database (nothing answers)', () => {
      let readerToken: string;

      beforeAll(async () => {
        readerToken = await poll(
          () => getToken(server, reader, 'reports:read').catch(() => ''),
          (token) => token !== '',
        );
        postgres.pause();
      }, TEST_TIMEOUT_MS);

      afterAll(() => postgres.resume());

      duringOutage(
        () => readerToken,
        () => coldClients.paused,
      );

      describe('after the database resumes', () => {
        beforeAll(() => postgres.resume());
        afterRecovery(() => coldClients.paused);
      });
    });

    it('logs no stack trace at error level for these expected outages', () => {
      const traces = server.logger.lines.filter(
        (line) => /^(error|fatal) /.test(line) && /\n\s+at /.test(line),
      );
      expect(traces).toEqual([]);
    });
  },
);

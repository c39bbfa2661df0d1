import fc, { type Arbitrary } from 'fast-check';
import {
  adminCase,
  FIXTURE_NAMES,
  guardCase,
  oauthCase,
  renderAdminCase,
  renderGuardCase,
  renderOAuthCase,
} from './support/fuzz-cases.js';
import {
  adminViolations,
  guardViolations,
  oauthViolations,
  redactor,
  type FuzzWorld,
  type KnownClient,
} from './support/fuzz-checks.js';
import { sendFuzz, withinHeaderLimit, type FuzzRequest } from './support/fuzz-http.js';
import { checkFuzzProperty, expectNoViolations, fuzzSettings } from './support/fuzz-run.js';
import { basic, createClient, getToken, startServer, type TestServer } from './support/server.js';

// Property-based fuzzing of the running example server: random malformed requests to the OAuth
// endpoints, the admin API and a guarded route, each answer checked against the RFCs. About
// 600 requests per property; the seed is fixed (M2M_FUZZ_SEED picks another) and a failure
// names the seed and the shrunk counterexample.

const RUNS_PER_PROPERTY = 600;
const PROPERTY_TIMEOUT_MS = 180_000;

describe('fuzzing the example server', () => {
  const settings = fuzzSettings(RUNS_PER_PROPERTY);
  let server: TestServer;
  let world: FuzzWorld;
  let reporter: { clientId: string; clientSecret: string };
  const requests: Record<string, number> = {};

  beforeAll(async () => {
    server = await startServer();
    const fixture = async (role: string, scopes: string[]): Promise<KnownClient> => {
      const client = await createClient(server, scopes, `fuzz-fixture-${role}`);
      return { role, id: client.clientId, secret: client.clientSecret, scopes };
    };
    const admin = await fixture('admin', ['m2m:admin']);
    const reporterFixture = await fixture('reporter', ['reports:read']);
    const introspector = await fixture('introspector', ['m2m:introspect']);
    const victim = await fixture('victim', ['reports:read']);
    const spare = await fixture('spare', ['reports:read']);
    reporter = { clientId: reporterFixture.id, clientSecret: reporterFixture.secret };
    // Names for the name_prefix filter to find; the registry may refuse some of them.
    for (const [index, name] of FIXTURE_NAMES.entries()) {
      await server.clients
        .create({
          clientName: name,
          scopes: ['reports:read'],
          ...(index % 2 === 0 ? {} : { ownerId: index % 4 === 1 ? 'owner-😀' : 'owner-1' }),
        })
        .catch(() => undefined);
    }
    const tokenOf = (client: KnownClient) =>
      getToken(server, { clientId: client.id, clientSecret: client.secret });
    const adminToken = await tokenOf(admin);
    const reporterToken = await tokenOf(reporterFixture);
    const guardToken = await tokenOf(reporterFixture);
    const clients = [admin, reporterFixture, introspector, victim, spare];
    const page = await server.clients.list({ limit: 100 });
    world = {
      context: {
        values: {
          issuer: server.url,
          soon: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString(),
          'admin.token': adminToken,
          'reporter.token': reporterToken,
          'guard.token': guardToken,
          'guard.signature': guardToken.split('.')[2]!,
          'created.id': spare.id,
          ...Object.fromEntries(
            clients.flatMap((client) => [
              [`${client.role}.id`, client.id],
              [`${client.role}.secret`, client.secret],
            ]),
          ),
        },
      },
      clients,
      secrets: [
        ...clients.flatMap((client) => [
          { label: `the secret of ${client.role}`, value: client.secret },
          {
            label: `the secret of ${client.role} without its prefix`,
            value: client.secret.slice(5),
          },
        ]),
        { label: 'the admin access token', value: adminToken },
        { label: 'the signature of the admin access token', value: adminToken.split('.')[2]! },
        { label: 'an access token of reporter', value: reporterToken },
        { label: 'the access token of the guard fixture', value: guardToken },
      ],
      registry: new Map(
        page.data.map((client) => [
          client.clientId,
          {
            name: client.clientName,
            status: client.status,
            ownerId: client.ownerId,
            scopes: client.scopes,
          },
        ]),
      ),
      registryUncertain: page.nextCursor !== null,
    };
  });

  afterAll(async () => {
    const total = Object.values(requests).reduce((sum, count) => sum + count, 0);
    console.log(
      `fuzz: seed ${settings.seed}, ${total} requests (${Object.entries(requests)
        .map(([name, count]) => `${name} ${count}`)
        .join(', ')})`,
    );
    await server?.close();
    await server?.database.drop();
  });

  /**
   * Sends one request and counts it. Requests past Node's header limit would get Node's own 431,
   * not the application's answer: those runs are skipped.
   */
  const send = (name: string, request: FuzzRequest) => {
    fc.pre(withinHeaderLimit(request));
    requests[name] = (requests[name] ?? 0) + 1;
    return sendFuzz(server, request);
  };

  const property = <T>(name: string, arbitrary: Arbitrary<T>, check: (value: T) => Promise<void>) =>
    checkFuzzProperty(name, arbitrary, check, settings);

  it(
    'token endpoint',
    () =>
      property('token endpoint', oauthCase('/oauth2/token'), async (spec) => {
        const request = renderOAuthCase(spec, world.context);
        const response = await send('token endpoint', request);
        expectNoViolations(
          oauthViolations(world, spec, request, response),
          request,
          response,
          redactor(world),
        );
      }),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'introspection and revocation endpoints',
    () =>
      property(
        'introspection and revocation endpoints',
        fc.oneof(oauthCase('/oauth2/introspect'), oauthCase('/oauth2/revoke')),
        async (spec) => {
          const request = renderOAuthCase(spec, world.context);
          const response = await send('introspection and revocation endpoints', request);
          expectNoViolations(
            oauthViolations(world, spec, request, response),
            request,
            response,
            redactor(world),
          );
        },
      ),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'admin API',
    () =>
      property('admin API', adminCase(), async (spec) => {
        const request = renderAdminCase(spec, world.context);
        const response = await send('admin API', request);
        const violations = adminViolations(world, spec, request, response, Date.now());
        expectNoViolations(violations, request, response, redactor(world));
      }),
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'guarded route',
    () =>
      property('guarded route', guardCase(), async (spec) => {
        const request = renderGuardCase(spec, world.context);
        const response = await send('guarded route', request);
        expectNoViolations(
          guardViolations(world, request, response),
          request,
          response,
          redactor(world),
        );
      }),
    PROPERTY_TIMEOUT_MS,
  );

  it('leaves a valid client working: it still gets a token and calls the guarded route', async () => {
    const token = await server
      .http()
      .post('/oauth2/token')
      .set('Authorization', basic(reporter.clientId, reporter.clientSecret))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'reports:read' });
    expect(token.status).toBe(200);
    const accessToken = (token.body as { access_token: string }).access_token;
    const reports = await server
      .http()
      .get('/demo/reports')
      .set('Authorization', `Bearer ${accessToken}`);
    expect(reports.status).toBe(200);
    expect(reports.body).toMatchObject({ requested_by: reporter.clientId });
  });
});

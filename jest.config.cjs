// Jest runs in CommonJS mode; @swc/jest compiles our TypeScript and the ESM-only dependencies
// (Nest 12, jose, oauth4webapi, …) to CommonJS. See README "Development".
const esmOnly = [
  '@nestjs',
  'jose',
  'oauth4webapi',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  '@borewit',
  'uint8array-extras',
  'load-esm',
  'content-disposition',
  '@fastify/static',
];

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^nestjs-m2m$': '<rootDir>/libs/m2m/src/index.ts',
    '^nestjs-m2m-client$': '<rootDir>/libs/m2m-client/src/index.ts',
    '^nestjs-m2m-client/nest$': '<rootDir>/libs/m2m-client/src/nest/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
};

/** An e2e project: every `test/*.e2e-spec.ts` but the suites named in `leftOut`. */
const e2e = (name, setupFiles = [], leftOut = []) => ({
  ...shared,
  displayName: name,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...leftOut.map((suite) => `/test/${suite}\\.e2e-spec\\.ts$`),
  ],
  setupFiles,
});

const onPostgres = Boolean(process.env.M2M_TEST_POSTGRES_URL);

// Which e2e suites each project runs. e2e-sqlite runs them all. The other two projects run again
// only the suites whose outcome can differ there; each suite they leave out is listed below with
// the reason. A new suite runs in all three projects until it is listed.

// Suites that need PostgreSQL. Without it, they report themselves skipped in e2e-sqlite; with it,
// they run in e2e-postgres only.
const postgresOnly = ['change-feed', 'outage'];

// e2e-fastify proves the HTTP adapter, so it runs every suite whose requests reach the example
// server's own routes. Left out:
const notOnFastify = [
  ...postgresOnly,
  // No HTTP, or only to prove that the server accepts what the CLI wrote.
  'cli',
  // Apps of their own (startHostApp, the resource server), which run on Express in any project.
  'owners',
  'secret-hasher',
  'resource-server',
  // Database and service behaviour: restarts on the same data, key rotation, the credential
  // cache and the change feed between instances, audit summing and purging, the outbound
  // jwks_uri fetcher, limits shared through Redis. Their HTTP answers are plain token, JWKS and
  // admin answers, which token-endpoint, discovery, admin-api, lifecycle, private-key-jwt and
  // rate-limits prove on Fastify.
  'persistence',
  'keys',
  'credential-cache',
  'audit-retention',
  'jwks-uri',
  'redis',
];

// e2e-postgres proves the stores on a real server, so it runs every suite whose outcome depends on
// the database: transactions and concurrency, the change feed, migrations, outages, restarts,
// the queries of the admin API, the CLI and the audit log (filters, cursors, JSON columns, text
// PostgreSQL refuses), replay records, fuzzing through the stores. Left out, as what they check
// does not depend on the database; what they write (clients, issued and revoked tokens), the
// suites that stay write on PostgreSQL too:
const notOnPostgres = [
  // Request parsing and the answers of the OAuth endpoints.
  'token-endpoint',
  'introspection',
  'audiences',
  'rate-limits',
  // Token verification, by the guard and by the resource-server mode; fetching a jwks_uri.
  'guard',
  'resource-server',
  'jwks-uri',
  // The shape of documents and answers: metadata, JWKS, OpenAPI, metrics, health checks, and
  // the console's files.
  'discovery',
  'console',
  'openapi',
  'metrics',
  'health',
  // Rate-limit state shared through Redis.
  'redis',
  // The client SDK, which sees the server's HTTP answers only (and node-oidc-provider's).
  'client-sdk',
];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,src}/**/*.spec.ts'] },
    // The documentation: samples compile, the API reference is complete, links resolve.
    { ...shared, displayName: 'docs', testMatch: ['<rootDir>/test/docs/*.spec.ts'] },
    // The web console in headless Chromium (test/support/browser.ts), on the example server.
    {
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/*.browser-spec.ts'],
    },
    // The operator's flow again with the example on Fastify (self-service runs a host app of its
    // own, on Express).
    {
      ...shared,
      displayName: 'browser-fastify',
      testMatch: ['<rootDir>/test/browser/console.browser-spec.ts'],
      setupFiles: ['<rootDir>/test/support/use-fastify.ts'],
    },
    e2e('e2e-sqlite', [], onPostgres ? postgresOnly : []),
    // The e2e suites again on Fastify (the example's HTTP_ADAPTER=fastify), but `notOnFastify`.
    e2e('e2e-fastify', ['<rootDir>/test/support/use-fastify.ts'], notOnFastify),
    // The e2e suites against a real PostgreSQL server when one is given (CI always does), but
    // `notOnPostgres`.
    ...(onPostgres
      ? [e2e('e2e-postgres', ['<rootDir>/test/support/use-postgres.ts'], notOnPostgres)]
      : []),
  ],
  // Two suites at a time (a fixed number, so that runs on two cores and on more behave alike).
  // Suites share nothing: each has its own databases and ports, the only suite that clears Redis
  // runs in e2e-sqlite only, and outages are played on a private PostgreSQL server.
  maxWorkers: 2,
  // Where each run keeps the migrated databases that the e2e suites copy (test/support/database.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

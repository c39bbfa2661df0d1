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

const e2e = (name, setupFiles = []) => ({
  ...shared,
  displayName: name,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  setupFiles,
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{libs,src}/**/*.spec.ts'] },
    // The documentation: samples compile, the API reference is complete, links resolve.
    { ...shared, displayName: 'docs', testMatch: ['<rootDir>/test/docs/*.spec.ts'] },
    e2e('e2e-sqlite'),
    // The whole e2e suite again on Fastify (the example's HTTP_ADAPTER=fastify).
    e2e('e2e-fastify', ['<rootDir>/test/support/use-fastify.ts']),
    // The same e2e suites against a real PostgreSQL server when one is given (CI always does).
    ...(process.env.M2M_TEST_POSTGRES_URL
      ? [e2e('e2e-postgres', ['<rootDir>/test/support/use-postgres.ts'])]
      : []),
  ],
  // Where each run keeps the migrated databases that the e2e suites copy (test/support/database.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

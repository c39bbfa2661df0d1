/**
 * Import rules of the code base, checked in CI (`npm run lint`). docs/architecture.md draws the
 * layers these rules keep apart:
 *
 *   HTTP edge   oauth/ admin/ registration/ http/ cli/ guards/ decorators/ console/
 *   services    tokens/ clients/ keys/ revocation/ audit/ verification/ rate-limit/ metrics/
 *   storage     stores/ (contracts)  persistence/ (TypeORM implementations)
 *   base        options/ errors/ domain/ common/
 *
 * A layer imports only the layers below it; the module wiring (libs/m2m/src/*.ts) and the
 * public barrel put them together.
 */
const LIB = '^libs/m2m/src/';
const EDGE = `${LIB}(oauth|admin|registration|http|cli|guards|decorators|console)/`;
const SERVICES = `${LIB}(tokens|clients|keys|revocation|audit|verification|rate-limit|metrics)/`;
const STORAGE = `${LIB}(stores|persistence)/`;
const BASE = `${LIB}(options|errors|domain|common)/`;
/** Framework HTTP types: what services must never see. */
const HTTP_FRAMEWORK =
  '(^|/)node_modules/(express|fastify|@fastify/[^/]+|@nestjs/platform-[^/]+|@types/express)/';

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'Folders form layers: no folder of the library reaches back into one that depends on it.',
      scope: 'folder',
      from: { path: `${LIB}[^/]+$` },
      to: { circular: true },
    },
    {
      name: 'services-below-the-edge',
      severity: 'error',
      comment:
        'Services never import controllers, DTOs, guards, decorators or any other HTTP-edge file.',
      from: { path: SERVICES },
      to: { path: [EDGE, '\\.(controller|dto)\\.ts$'] },
    },
    {
      name: 'services-without-http-framework',
      severity: 'error',
      comment: 'Services take parsed, framework-free input: no Express or Fastify types.',
      from: { path: [SERVICES, STORAGE, BASE] },
      to: { path: HTTP_FRAMEWORK },
    },
    {
      name: 'storage-below-services',
      severity: 'error',
      comment: 'Contracts and their implementations know the domain, not the services or the edge.',
      from: { path: STORAGE },
      to: { path: [EDGE, SERVICES] },
    },
    {
      name: 'base-below-everything',
      severity: 'error',
      comment: 'Options, errors, domain types and helpers depend on nothing above them.',
      from: { path: BASE },
      to: { path: [EDGE, SERVICES, STORAGE] },
    },
    {
      name: 'contracts-not-implementations',
      severity: 'error',
      comment:
        'Services and the edge use the store contracts (stores/); only persistence/, the module wiring and the CLI set-up name the TypeORM implementations.',
      from: { path: [EDGE, SERVICES], pathNot: `${LIB}cli/` },
      to: { path: `${LIB}persistence/` },
    },
    {
      name: 'guards-never-import-persistence',
      severity: 'error',
      comment: 'The guard verifies tokens; what it needs from clients comes through an interface.',
      from: { path: `${LIB}guards/` },
      to: { path: STORAGE },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles break ESM start-up order and make modules impossible to reason about.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-barrel-inside-library',
      severity: 'error',
      comment: 'Library files import each other by relative path, never through the public barrel.',
      from: { path: '^libs/m2m/src/', pathNot: '^libs/m2m/src/index\\.ts$' },
      to: { path: '^libs/m2m/src/index\\.ts$' },
    },
    {
      name: 'library-does-not-import-app',
      severity: 'error',
      comment: 'The library is publishable on its own: it never reaches into the example app.',
      from: { path: '^libs/' },
      to: { path: '^(src|test|bench)/' },
    },
    {
      name: 'app-uses-the-package-api',
      severity: 'error',
      comment:
        'The example app imports the library by its package name (nestjs-m2m), as a host app does, never its files. (White-box tests may reach inside.)',
      from: { path: '^src/' },
      to: { path: '^libs/m2m/src/', pathNot: '^libs/m2m/src/index\\.ts$' },
    },
    {
      name: 'client-stands-alone',
      severity: 'error',
      comment:
        'nestjs-m2m-client is for callers of any OAuth server: it never imports the authorization server library.',
      from: { path: '^libs/m2m-client/' },
      to: { path: '^libs/m2m/' },
    },
    {
      name: 'client-nest-only-in-nest-folder',
      severity: 'error',
      comment:
        'The client is framework-free; Nest (an optional peer) is imported only by the nestjs-m2m-client/nest subpath, and the core never imports that subpath.',
      from: { path: '^libs/m2m-client/src/', pathNot: '^libs/m2m-client/src/nest/' },
      to: { path: ['(^|/)node_modules/@nestjs/', '^libs/m2m-client/src/nest/'] },
    },
    {
      name: 'app-uses-the-client-package-api',
      severity: 'error',
      comment:
        'The example app imports the client by its package names (nestjs-m2m-client, nestjs-m2m-client/nest), never its files.',
      from: { path: '^src/' },
      to: {
        path: '^libs/m2m-client/src/',
        pathNot: '^libs/m2m-client/src/(index|nest/index)\\.ts$',
      },
    },
    {
      name: 'entities-stay-in-persistence',
      severity: 'error',
      comment: 'Entities never leave persistence/ (the module wiring and the barrel excepted).',
      from: {
        path: '^libs/m2m/src/',
        pathNot: '^libs/m2m/src/(persistence/|m2m\\.module-shape\\.ts$|index\\.ts$)',
      },
      to: { path: '^libs/m2m/src/persistence/.+\\.entity\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // Specs and their fixtures may reach across layers; the rules are about shipped code.
    exclude: { path: '(^|/)dist/|\\.spec\\.ts$|/__fixtures__/' },
  },
};

/** Import rules of the code base, checked in CI (`npm run lint`). */
module.exports = {
  forbidden: [
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
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};

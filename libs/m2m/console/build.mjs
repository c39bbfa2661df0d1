// Builds the web console into dist/console-assets/: one ES module with Lit bundled in (no CDN,
// nothing fetched at run time) and the page's style sheet. Run by the package build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const out = here('../dist/console-assets/');

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [here('src/index.ts')],
  outfile: `${out}m2m-console.js`,
  tsconfig: here('tsconfig.json'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  // Lit's licence notice travels with the bundle.
  legalComments: 'eof',
  logLevel: 'warning',
});
copyFileSync(here('src/m2m-console.css'), `${out}m2m-console.css`);

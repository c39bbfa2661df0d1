import { readFileSync } from 'node:fs';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';

/** The files the console is made of, built with the package (`npm run build` in libs/m2m). */
export interface ConsoleAssets {
  script: string;
  styles: string;
}

/**
 * Where the package build puts the console: `dist/console-assets/` of the package, next to the
 * compiled module (`dist/console/`), and reached the same way from the TypeScript sources.
 */
export const CONSOLE_ASSETS_DIRECTORY = new URL('../../dist/console-assets/', import.meta.url);

/**
 * Reads the console's files once, at start-up. A package built without them is a broken
 * install: the start fails with one line that says so, rather than serving a blank page.
 */
export function loadConsoleAssets(directory: URL = CONSOLE_ASSETS_DIRECTORY): ConsoleAssets {
  const read = (name: string): string => {
    try {
      return readFileSync(new URL(name, directory), 'utf8');
    } catch {
      throw new M2mConfigurationError(
        `M2mModule: \`console\` is on, but ${name} is missing from ${directory.pathname}; ` +
          'the nestjs-m2m package was built without its console (run its build).',
        'console',
      );
    }
  };
  return { script: read('m2m-console.js'), styles: read('m2m-console.css') };
}

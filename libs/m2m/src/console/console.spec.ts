import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { M2mConfigurationError } from '../errors/m2m-configuration.error.js';
import { M2mModule } from '../m2m.module.js';
import { loadConsoleAssets } from './console-assets.js';
import { CONSOLE_CSP, consolePage, routePrefixOf } from './console-page.js';

describe('console page', () => {
  it('finds the route prefix a host added in front of the console path', () => {
    expect(routePrefixOf('/m2m/console', 'm2m/console')).toBe('');
    expect(routePrefixOf('/m2m/console/', 'm2m/console')).toBe('');
    expect(routePrefixOf('/m2m/console?x=1#y', 'm2m/console')).toBe('');
    expect(routePrefixOf('/api/v1/m2m/console', 'm2m/console')).toBe('/api/v1');
    expect(routePrefixOf('/api/admin/m2m', 'admin/m2m')).toBe('/api');
    // A path the router matched in another spelling: no prefix rather than a wrong one.
    expect(routePrefixOf('/m2m/%63onsole', 'm2m/console')).toBe('');
  });

  it('has no inline script or style, and points at its own assets under the prefix', () => {
    const page = consolePage('/api/m2m/console', 'm2m/console');
    expect(page).toContain('<script type="module" src="/api/m2m/console/assets/m2m-console.js">');
    expect(page).toContain(
      '<link rel="stylesheet" href="/api/m2m/console/assets/m2m-console.css">',
    );
    expect(page).toContain('<m2m-console api-base="/api/"></m2m-console>');
    expect(page.match(/<script\b[^>]*>/g)).toEqual([
      '<script type="module" src="/api/m2m/console/assets/m2m-console.js">',
    ]);
    expect(page).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it('escapes what it takes from the request URL', () => {
    const page = consolePage('/x"><script>alert(1)</script>/m2m/console', 'm2m/console');
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('api-base="/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;/"');
  });

  it('its CSP allows only the server’s own scripts, styles and API, and no framing', () => {
    expect(CONSOLE_CSP).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});

describe('console assets', () => {
  it('are read from the package build', () => {
    const directory = mkdtempSync(join(tmpdir(), 'm2m-console-'));
    writeFileSync(join(directory, 'm2m-console.js'), 'export {};');
    writeFileSync(join(directory, 'm2m-console.css'), 'body{}');
    expect(loadConsoleAssets(pathToFileURL(`${directory}/`))).toEqual({
      script: 'export {};',
      styles: 'body{}',
    });
  });

  it('missing from the package: the start fails with one line that says so', () => {
    const directory = pathToFileURL(`${mkdtempSync(join(tmpdir(), 'm2m-console-'))}/`);
    expect(() => loadConsoleAssets(directory)).toThrow(
      new M2mConfigurationError(
        `M2mModule: \`console\` is on, but m2m-console.js is missing from ${directory.pathname}; ` +
          'the nestjs-m2m package was built without its console (run its build).',
        'console',
      ),
    );
  });
});

describe('console option', () => {
  const options = { issuer: 'https://auth.example.test', keyEncryptionKey: 'k'.repeat(44) };

  it.each(['/m2m/console', 'm2m/console/', 'm2m//console', 'm2m/con sole', 'm2m/?x', ''])(
    'refuses the path %p',
    (path) => {
      expect(() => M2mModule.forRoot({ ...options, console: { path } })).toThrow(
        'M2mModule: `console.path` must be a route such as "m2m/console" or "admin/m2m".',
      );
    },
  );

  it('mounts the console controller only when asked', () => {
    const names = (console: boolean | { path?: string }) =>
      (M2mModule.forRoot({ ...options, console }).controllers ?? []).map((c) => c.name);
    expect(names(false)).not.toContain('M2mConsoleController');
    expect(names(true)).toContain('M2mConsoleController');
    expect(names({ path: 'admin/m2m' })).toContain('M2mConsoleController');
  });
});

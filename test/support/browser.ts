/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Headless Chromium for the console's tests: Debian's chromium driven by playwright-core (no
// browser download). `.ci/run` installs it; elsewhere set CHROMIUM_PATH or install chromium.

/** The browser binary: CHROMIUM_PATH, or Debian's. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';

/**
 * Whether the browser suites can run. In CI a missing browser is a failure, not a skip: the
 * suite then fails in its beforeAll with the reason.
 */
export const browserAvailable = existsSync(CHROMIUM_PATH) || process.env['CI'] === 'true';

/** Where the suites keep a screenshot of each step (a CI artifact), one folder per adapter. */
export const ARTIFACTS = new URL(
  `../../test-artifacts/console/${process.env['M2M_TEST_HTTP_ADAPTER'] || 'express'}/`,
  import.meta.url,
);

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No Chromium at ${CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Runs in every page before its own scripts: records each write to Web Storage, to
 * `document.cookie` and each IndexedDB database opened, and every CSP violation.
 */
function watch(): void {
  const record = window as unknown as { m2mWrites: string[]; m2mViolations: string[] };
  record.m2mWrites = [];
  record.m2mViolations = [];
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key: string, value: string) {
    record.m2mWrites.push(`storage ${key}=${value}`);
    return setItem.call(this, key, value);
  };
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!;
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => cookie.get!.call(document) as string,
    set: (value: string) => {
      record.m2mWrites.push(`cookie ${value}`);
      cookie.set!.call(document, value);
    },
  });
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (name: string, version?: number) {
    record.m2mWrites.push(`indexedDB ${name}`);
    return open.call(this, name, version);
  };
  document.addEventListener('securitypolicyviolation', (event) =>
    record.m2mViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
  );
}

/** The part of axe-core's API the checks use. */
interface AxeLike {
  run(
    context: Document,
    options: { runOnly: { type: 'tag'; values: string[] } },
  ): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }>;
}

/** A page whose storage writes, CSP violations, script errors and console errors are kept. */
export interface WatchedPage {
  page: Page;
  /** Uncaught errors and console errors. */
  errors: string[];
  /** Writes to Web Storage, cookies or IndexedDB that the page's scripts made. */
  writes(): Promise<string[]>;
  violations(): Promise<string[]>;
  /** Everything the page holds: text, attributes and field values, through shadow roots. */
  contents(): Promise<string>;
  /** Saves a screenshot of this step as `test-artifacts/console/<name>.png`. */
  shot(name: string): Promise<void>;
  /**
   * axe-core's WCAG 2.1 A and AA checks on the page as it is now (through shadow roots): each
   * violation as `rule: element`, or none.
   */
  accessibilityViolations(): Promise<string[]>;
}

/** axe-core's source, evaluated in the page (DevTools evaluation is not subject to its CSP). */
const AXE_SOURCE = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  await context.addInitScript(watch);
  const page = await context.newPage();
  // A step that waits longer than this has failed; the test then says which wait it was.
  page.setDefaultTimeout(5000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  const read = (key: 'm2mWrites' | 'm2mViolations') =>
    page.evaluate((k) => (window as unknown as Record<string, string[]>)[k] ?? [], key);
  return {
    page,
    errors,
    writes: () => read('m2mWrites'),
    violations: () => read('m2mViolations'),
    contents: () =>
      page.evaluate(() => {
        const collect = (root: Document | ShadowRoot): string => {
          let text = root.textContent ?? '';
          for (const element of root.querySelectorAll('*')) {
            for (const attribute of element.attributes) text += ` ${attribute.value}`;
            if ('value' in element) text += ` ${String((element as HTMLInputElement).value)}`;
            if (element.shadowRoot !== null) text += collect(element.shadowRoot);
          }
          return text;
        };
        return collect(document);
      }),
    accessibilityViolations: async () => {
      await page.evaluate(AXE_SOURCE);
      return page.evaluate(async () => {
        const axe = (window as unknown as { axe: AxeLike }).axe;
        const result = await axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        });
        return result.violations.flatMap((violation) =>
          violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
        );
      });
    },
    shot: async (name) => {
      await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });
    },
  };
}

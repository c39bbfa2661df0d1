import { readFileSync } from 'node:fs';
import request from 'supertest';
import { startHostApp, type HostApp } from './support/host-app.js';
import { startServer, type TestServer } from './support/server.js';

// The console as the server serves it, on Express and on Fastify: the page, its headers and its
// files. What a person does with it is test/browser/console.browser-spec.ts.

const assets = new URL('../libs/m2m/dist/console-assets/', import.meta.url);
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

describe('console (served files)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('the example server serves the page at /m2m/console under a strict CSP', async () => {
    const response = await server.http().get('/m2m/console');
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    expect(response.text).toContain(
      '<script type="module" src="/m2m/console/assets/m2m-console.js"></script>',
    );
    expect(response.text).toContain('<m2m-console api-base="/"></m2m-console>');
    // Nothing inline: every script has a src, and there is no style element or attribute.
    expect(response.text.match(/<script\b[^>]*>/g)).toEqual([
      '<script type="module" src="/m2m/console/assets/m2m-console.js">',
    ]);
    expect(response.text).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it('with a trailing slash, the page still points at the same files', async () => {
    const response = await server.http().get('/m2m/console/');
    expect(response.status).toBe(200);
    expect(response.text).toContain('src="/m2m/console/assets/m2m-console.js"');
    expect(response.text).toContain('api-base="/"');
  });

  it.each([
    ['m2m-console.js', 'text/javascript; charset=utf-8'],
    ['m2m-console.css', 'text/css; charset=utf-8'],
  ])('serves %s as built into the package', async (file, type) => {
    const response = await server
      .http()
      .get(`/m2m/console/assets/${file}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({
      'content-type': type,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(response.body).toBe(readFileSync(new URL(file, assets), 'utf8'));
  });

  it('serves its icon, so that browsers do not ask for /favicon.ico', async () => {
    const response = await server.http().get('/m2m/console/assets/m2m-console.svg');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('the bundle loads nothing from elsewhere: no CDN, no import from a URL', () => {
    const script = readFileSync(new URL('m2m-console.js', assets), 'utf8');
    expect(script).not.toMatch(/\bimport\s*\(|\bfrom\s*["'](https?:)?\/\//);
    expect(script).not.toMatch(/\bimport\s*["']/);
    // Its only URLs are links in Lit's own messages and the licence notice.
    const urls = new Set(script.match(/https?:\/\/[^\s"'`)]+/g) ?? []);
    expect([...urls].filter((url) => !/^https:\/\/(lit\.dev|github\.com)\//.test(url))).toEqual([]);
  });

  it('any other file under the console is 404', async () => {
    expect((await server.http().get('/m2m/console/assets/app.js')).status).toBe(404);
    expect((await server.http().get('/m2m/console/assets/%2e%2e%2fm2m-console.js')).status).toBe(
      404,
    );
  });

  it('is not in the OpenAPI document', async () => {
    const document = (await server.http().get('/docs-json')).body as { paths: object };
    expect(Object.keys(document.paths).filter((path) => path.includes('console'))).toEqual([]);
  });
});

describe('console (option)', () => {
  let hosts: HostApp[] = [];

  afterEach(async () => {
    await Promise.all(hosts.map((host) => host.close()));
    hosts = [];
  });

  it('is off unless the host turns it on', async () => {
    const host = await startHostApp({});
    hosts.push(host);
    const http = request(host.app.getHttpServer());
    expect((await http.get('/m2m/console')).status).toBe(404);
    expect((await http.get('/m2m/console/assets/m2m-console.js')).status).toBe(404);
  });

  it('can live at another path', async () => {
    const host = await startHostApp({ console: { path: 'admin/machine-clients' } });
    hosts.push(host);
    const http = request(host.app.getHttpServer());
    const page = await http.get('/admin/machine-clients');
    expect(page.status).toBe(200);
    expect(page.text).toContain('src="/admin/machine-clients/assets/m2m-console.js"');
    expect((await http.get('/admin/machine-clients/assets/m2m-console.js')).status).toBe(200);
    expect((await http.get('/m2m/console')).status).toBe(404);
  });
});

/// <reference lib="dom" />
import {
  Controller,
  Get,
  Header,
  Injectable,
  Module,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { M2M_OWNER_REQUEST_PROPERTY } from 'nestjs-m2m';
import {
  browserAvailable,
  launchBrowser,
  type WatchedPage,
  watchedPage,
} from '../support/browser.js';
import { startHostApp, type HostApp } from '../support/host-app.js';
import { basic } from '../support/server.js';

// Self-service: a SaaS host embeds <m2m-client-manager> in its own account page, and its
// customers manage their own clients with the host's session (an HttpOnly cookie here).

const describeInBrowser = browserAvailable ? describe : describe.skip;
jest.setTimeout(30_000);

/** The host's sessions: cookie value → tenant. A real host checks a signed session. */
const SESSIONS: Record<string, string> = { 'sess-acme': 'org_acme', 'sess-globex': 'org_globex' };

/** The host's own authentication of its users, as the owner API's guard. */
@Injectable()
class SessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context
      .switchToHttp()
      .getRequest<Record<string, unknown> & { headers: { cookie?: string } }>();
    const session = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const tenant = session === undefined ? undefined : SESSIONS[session];
    if (tenant === undefined) return false;
    req[M2M_OWNER_REQUEST_PROPERTY] = tenant;
    return true;
  }
}

/** The host's account page, which embeds the client manager under the same strict CSP. */
@Controller('account')
class AccountController {
  @Get('machine-credentials')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'",
  )
  page(): string {
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Acme Cloud: machine credentials</title>
    <script type="module" src="/m2m/console/assets/m2m-console.js"></script>
  </head>
  <body>
    <h1>Your machine credentials</h1>
    <m2m-client-manager source="owner" api-base="/"></m2m-client-manager>
  </body>
</html>`;
  }
}

@Module({ controllers: [AccountController] })
class AccountModule {}

describeInBrowser('console in a browser: self-service for two owners', () => {
  let host: HostApp;
  let url: string;
  let browser: Browser;
  const tenants: Record<string, { context: BrowserContext; watched: WatchedPage; page: Page }> = {};
  const secrets: string[] = [];

  const open = async (session: string | null) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (session !== null) {
      await context.addCookies([
        { name: 'session', value: session, url, httpOnly: true, sameSite: 'Lax' },
      ]);
    }
    const watched = await watchedPage(context);
    await watched.page.goto(`${url}/account/machine-credentials`);
    return { context, watched, page: watched.page };
  };
  const names = (page: Page) =>
    page
      .getByRole('table', { name: 'Clients' })
      .locator('tbody tr td:first-child')
      .allTextContents()
      .then((cells) => cells.map((cell) => cell.trim()));

  /** Creates a client through the embedded form and returns its id and the secret shown once. */
  const create = async (page: Page, name: string, scopes: string[]) => {
    await page.getByRole('button', { name: 'Create client' }).click();
    await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('dialog').getByLabel('Scopes', { exact: true }).selectOption(scopes);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const field = page.getByRole('dialog').getByLabel('Client secret');
    await field.waitFor();
    const secret = await field.inputValue();
    const id = (await page.getByRole('dialog').locator('dd code').textContent()) ?? '';
    secrets.push(secret);
    return { id, secret };
  };

  beforeAll(async () => {
    host = await startHostApp(
      {
        isGlobal: true,
        console: { path: 'm2m/console' },
        ownerApi: { guard: SessionGuard, scopes: ['orders:read', 'orders:write'] },
      },
      [AccountModule],
    );
    await host.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(host.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('each owner starts with an empty list, and may grant only its policy’s scopes', async () => {
    tenants['acme'] = await open('sess-acme');
    tenants['globex'] = await open('sess-globex');
    for (const { page } of Object.values(tenants)) {
      await page.getByText('No clients match.').waitFor();
      // No operator controls: no owner filter, no signing keys.
      expect(await page.getByLabel('Owner', { exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Signing keys' }).count()).toBe(0);
    }
    const { page, watched } = tenants['acme']!;
    await page.getByRole('button', { name: 'Create client' }).click();
    expect(
      await page
        .getByRole('dialog')
        .getByLabel('Scopes', { exact: true })
        .locator('option')
        .allTextContents(),
    ).toEqual(['orders:read', 'orders:write']);
    await watched.shot('20-self-service-create');
    expect(await watched.accessibilityViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  });

  it('owner A creates a client; its secret gets a token from the real token endpoint', async () => {
    const { page, watched } = tenants['acme']!;
    const { id, secret } = await create(page, 'acme-sync', ['orders:read']);
    await watched.shot('21-self-service-secret');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const token = await request(host.app.getHttpServer())
      .post('/oauth2/token')
      .set('Authorization', basic(id, secret))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(token.status).toBe(200);
    expect((token.body as { scope: string }).scope).toBe('orders:read');
    await page.getByRole('heading', { name: 'acme-sync' }).waitFor();
    expect(await names(page)).toEqual(['acme-sync']);
  });

  it('owner B creates its own, and neither sees the other’s clients', async () => {
    const globex = tenants['globex']!;
    await create(globex.page, 'globex-sync', ['orders:write']);
    await globex.page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await names(globex.page)).toEqual(['globex-sync']);

    const acme = tenants['acme']!;
    await acme.page.reload();
    await acme.page.getByRole('button', { name: 'acme-sync' }).waitFor();
    expect(await names(acme.page)).toEqual(['acme-sync']);
    await globex.page.reload();
    await globex.page.getByRole('button', { name: 'globex-sync' }).waitFor();
    expect(await names(globex.page)).toEqual(['globex-sync']);
    await globex.watched.shot('22-self-service-other-owner');

    // The clients are where the server says, each with its owner.
    const all = await request(host.app.getHttpServer())
      .get('/m2m/owner/clients')
      .set('Cookie', 'session=sess-acme');
    expect(
      (all.body as { data: { client_name: string; owner_id: string }[] }).data.map((c) => [
        c.client_name,
        c.owner_id,
      ]),
    ).toEqual([['acme-sync', 'org_acme']]);
  });

  it('an owner rotates, sees its audit events, and deletes its client', async () => {
    const { page, watched } = tenants['acme']!;
    await page.getByRole('button', { name: 'acme-sync' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    secrets.push(await page.getByRole('dialog').getByLabel('Client secret').inputValue());
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('button', { name: 'Complete rotation' }).click();
    await page.getByText('Rotation completed: only the new secret works now.').waitFor();
    const events = page.getByRole('table', { name: 'Audit events' });
    const rows = (await events.locator('tbody tr').allTextContents()).map((row) =>
      row.replace(/\s+/g, ' ').trim(),
    );
    expect(rows.filter((row) => /client\.created/.test(row))).toEqual([
      expect.stringContaining('client.created owner org_acme') as unknown as string,
    ]);
    await watched.shot('23-self-service-audit');
    expect(await watched.accessibilityViolations()).toEqual([]);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Client acme-sync deleted.').waitFor();
    await page.getByText('No clients match.').waitFor();
  });

  it('without a session the host’s guard refuses, and the element says so', async () => {
    const stranger = await open(null);
    await stranger.page.getByRole('alert').waitFor();
    expect(await stranger.page.getByRole('alert').textContent()).toBe('Forbidden resource');
    await stranger.context.close();
  });

  it('nothing was written to storage, no secret is left on the page, and the CSP held', async () => {
    for (const { watched, context } of Object.values(tenants)) {
      expect(await watched.writes()).toEqual([]);
      expect(await watched.violations()).toEqual([]);
      expect(watched.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
      const contents = await watched.contents();
      for (const secret of secrets) expect(contents).not.toContain(secret);
      // Only the host's own session cookie, which the page's scripts cannot read.
      const state = await context.storageState();
      expect(state.origins).toEqual([]);
      expect(state.cookies.map((cookie) => [cookie.name, cookie.httpOnly])).toEqual([
        ['session', true],
      ]);
      await context.close();
    }
  });
});

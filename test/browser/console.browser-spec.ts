/// <reference lib="dom" />
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  browserAvailable,
  launchBrowser,
  type WatchedPage,
  watchedPage,
} from '../support/browser.js';
import {
  createClient,
  startServer,
  tokenRequest,
  type SecretClient,
  type TestServer,
} from '../support/server.js';

// The operator console, driven in headless Chromium against the example server on SQLite, the
// way an operator uses it. Each step leaves a screenshot in test-artifacts/console/.

const describeInBrowser = browserAvailable ? describe : describe.skip;

// A step waits for the page (up to 5 s per wait), and the browser starts in the first one.
jest.setTimeout(30_000);

/** The element that has focus, looking through shadow roots. */
async function focused(page: Page): Promise<{ id: string; text: string }> {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return { id: element?.id ?? '', text: element?.textContent?.trim() ?? '' };
  });
}

/** Waits until `read` returns what `expected` wants (or 5 s pass), then asserts it. */
async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  const deadline = Date.now() + 5000;
  let actual = await read();
  while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = await read();
  }
  expect(actual).toEqual(expected);
}

describeInBrowser('console in a browser: the operator', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let watched: WatchedPage;
  let page: Page;
  let admin: SecretClient;
  const tokens: string[] = [];
  /** The client created through the console, and its secrets as the console showed them. */
  const created = { id: '', secret: '', next: '' };

  const dialog = () => page.getByRole('dialog');
  const clientNames = () =>
    page
      .getByRole('table', { name: 'Clients' })
      .locator('tbody tr td:first-child')
      .allTextContents()
      .then((names) => names.map((name) => name.trim()));

  beforeAll(async () => {
    server = await startServer();
    admin = await createClient(server, ['m2m:admin'], 'operations');
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    watched = await watchedPage(context);
    page = watched.page;
    // The admin tokens the console receives, to look for them where they must not be.
    page.on('response', async (response) => {
      if (response.url().endsWith('/oauth2/token') && response.status() === 200) {
        tokens.push(((await response.json()) as { access_token: string }).access_token);
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await server?.database.drop();
  });

  it('refuses a wrong secret, then signs in with the keyboard alone', async () => {
    await page.goto(`${server.url}/m2m/console`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await watched.shot('01-sign-in');
    expect(await watched.accessibilityViolations()).toEqual([]);
    expect(await focused(page)).toEqual({ id: 'client-id', text: '' });

    await page.keyboard.type(admin.clientId);
    await page.keyboard.press('Tab');
    await page.keyboard.type(`${admin.clientSecret}x`);
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The client ID or the client secret is wrong.');
    await watched.shot('02-sign-in-refused');
    // Focus went back to the first field; the typed id is kept.
    expect((await focused(page)).id).toBe('client-id');
    expect(await page.getByLabel('Client ID').inputValue()).toBe(admin.clientId);

    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(admin.clientSecret);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    expect(await page.getByText(`Signed in as ${admin.clientId}`).count()).toBe(1);
    await eventually(async () => tokens.length, 1);
    // Neither the secret nor the form stays on the page.
    expect(await watched.contents()).not.toContain(admin.clientSecret);
  });

  it('lists clients in a table with the documented columns', async () => {
    const table = page.getByRole('table', { name: 'Clients' });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual([
      'Name',
      'Client ID',
      'Scopes',
      'Status',
      'Last used',
      'Expires',
      'Created',
    ]);
    await eventually(clientNames, ['operations']);
    const row = await table.locator('tbody tr').first().locator('td').allTextContents();
    expect(row.map((cell) => cell.trim().replace(/\s+/g, ' '))).toEqual([
      'operations',
      admin.clientId,
      'm2m:admin',
      'Active',
      // Its sign-in is recorded a moment later (last use is written in batches).
      expect.stringMatching(/^(Never|.+ \(current secret\))$/) as unknown as string,
      'Never',
      expect.any(String) as unknown as string,
    ]);
    await watched.shot('03-clients');
    expect(await watched.accessibilityViolations()).toEqual([]);
  });

  it('create: a server error appears at its field; then the secret is shown once', async () => {
    await page.getByRole('button', { name: 'Create client' }).click();
    await dialog().waitFor();
    expect((await focused(page)).id).toBe('name');
    await dialog().getByLabel('Name', { exact: true }).fill('reporting-job');
    const scopes = dialog().getByLabel('Scopes', { exact: true });
    // The choices are the server's scopes_supported.
    expect(await scopes.locator('option').allTextContents()).toEqual([
      'm2m:admin',
      'm2m:introspect',
      'reports:read',
      'reports:write',
    ]);
    await scopes.selectOption(['reports:read']);
    await dialog().getByLabel('Expires').fill('2020-01-01');
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    const expiresError = dialog().locator('#expires_at-error');
    await expiresError.waitFor();
    expect(await expiresError.textContent()).toMatch(
      /^must be at least \d+ seconds in the future$/,
    );
    expect(await dialog().getByLabel('Expires').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog().getByLabel('Expires').getAttribute('aria-describedby')).toBe(
      'expires_at-error expires-hint',
    );
    expect((await focused(page)).id).toBe('expires');
    await watched.shot('04-create-field-error');
    expect(await watched.accessibilityViolations()).toEqual([]);
    expect(await server.clients.list({ namePrefix: 'reporting-job' })).toMatchObject({ data: [] });

    await dialog().getByLabel('Expires').fill('');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const secretField = dialog().getByLabel('Client secret');
    await secretField.waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('Client created');
    expect(await secretField.getAttribute('readonly')).toBe('');
    created.secret = await secretField.inputValue();
    created.id = (await dialog().locator('dd code').textContent()) ?? '';
    expect(created.secret).toMatch(/^m2ms_/);
    expect(created.id).toMatch(/^m2mc_/);
    expect(await dialog().getByText('it is shown only this once').count()).toBe(1);
    expect((await focused(page)).text).toBe('Copy secret');

    await page.getByRole('button', { name: 'Copy secret' }).click();
    await dialog().getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created.secret);
    await watched.shot('05-secret-shown-once');
    expect(await watched.accessibilityViolations()).toEqual([]);

    // The secret the console showed is the client's: the real token endpoint accepts it.
    expect((await tokenRequest(server, created.id, created.secret)).status).toBe(200);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await dialog().waitFor({ state: 'hidden' });
    expect(await watched.contents()).not.toContain(created.secret);
    expect((await focused(page)).text).toBe('Create client');
    await eventually(clientNames, ['reporting-job', 'operations']);
  });

  it('rotate: both secrets work; complete: only the next one does', async () => {
    await page.getByRole('heading', { name: 'reporting-job' }).waitFor();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const secretField = dialog().getByLabel('Client secret');
    await secretField.waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('Secret rotation started');
    created.next = await secretField.inputValue();
    expect(created.next).not.toBe(created.secret);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created.next);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await dialog().waitFor({ state: 'hidden' });
    // Focus moves on to the rotation's next step.
    await eventually(async () => (await focused(page)).text, 'Complete rotation');

    expect((await tokenRequest(server, created.id, created.next)).status).toBe(200);
    expect((await tokenRequest(server, created.id, created.secret)).status).toBe(200);

    // The old secret was used after the rotation started: the console says so.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return page.getByText('The old secret was used after the rotation started').count();
    }, 1);
    expect(await page.getByText(/old secret last used \w+/).count()).toBe(1);
    // Last used says which secret: the old one was used last, or in the same instant.
    const lastUsed = page.locator('m2m-client-detail dt:text-is("Last used") + dd');
    expect(await lastUsed.textContent()).toMatch(/ \((old|next) secret\)$/);
    await watched.shot('06-rotation-in-progress');
    expect(await watched.accessibilityViolations()).toEqual([]);

    await page.getByRole('button', { name: 'Complete rotation' }).click();
    await page.getByText('Rotation completed: only the new secret works now.').waitFor();
    expect((await tokenRequest(server, created.id, created.secret)).status).toBe(401);
    expect((await tokenRequest(server, created.id, created.next)).status).toBe(200);
    await watched.shot('07-rotation-completed');
  });

  it('cancel rotation: the next secret stops working, the current one goes on', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const next = await dialog().getByLabel('Client secret').inputValue();
    // Escape closes the dialog too, and the secret leaves the page with it.
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'hidden' });
    await eventually(async () => (await watched.contents()).includes(next), false);
    await page.getByRole('button', { name: 'Cancel rotation' }).click();
    await page.getByText('Rotation cancelled: the next secret no longer works.').waitFor();
    expect((await tokenRequest(server, created.id, next)).status).toBe(401);
    expect((await tokenRequest(server, created.id, created.next)).status).toBe(200);
  });

  it('edit: a scope added in the console can be requested at once', async () => {
    const scoped = () => tokenRequest(server, created.id, created.next, 'reports:write');
    expect((await scoped()).status).toBe(400);
    await page.getByRole('button', { name: 'Edit', exact: true }).click();
    expect(await dialog().getByRole('heading').textContent()).toBe('Edit client');
    expect(await dialog().getByLabel('Name', { exact: true }).inputValue()).toBe('reporting-job');
    await dialog()
      .getByLabel('Scopes', { exact: true })
      .selectOption(['reports:read', 'reports:write']);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Client saved.').waitFor();
    const scopes = page.locator('m2m-client-detail dt:text-is("Scopes") + dd');
    expect(await scopes.textContent()).toBe('reports:read reports:write');
    const granted = await scoped();
    expect([granted.status, (granted.body as { scope: string }).scope]).toEqual([
      200,
      'reports:write',
    ]);
  });

  it('disable: the token endpoint answers invalid_client; enable: it works again', async () => {
    await page.getByRole('button', { name: 'Disable', exact: true }).click();
    await page.getByRole('button', { name: 'Enable', exact: true }).waitFor();
    const refused = await tokenRequest(server, created.id, created.next);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
    await eventually(async () => {
      const row = page.getByRole('row', { name: /reporting-job/ });
      return (await row.locator('td').nth(3).textContent())?.trim();
    }, 'Disabled');
    await watched.shot('08-disabled');

    await page.getByRole('button', { name: 'Enable', exact: true }).click();
    await page.getByRole('button', { name: 'Disable', exact: true }).waitFor();
    expect((await tokenRequest(server, created.id, created.next)).status).toBe(200);
  });

  it('shows the client’s audit events', async () => {
    const events = page.getByRole('table', { name: 'Audit events' });
    const types = async () =>
      (await events.locator('tbody tr td:nth-child(2)').allTextContents()).map((t) => t.trim());
    // Token events are written in batches, a moment later: the lifecycle is in order.
    const lifecycle = async () =>
      (await types()).filter((type) => !/^(token|authentication)\./.test(type));
    await eventually(lifecycle, [
      'client.enabled',
      'client.disabled',
      'client.updated',
      'secret.rotation_cancelled',
      'secret.rotation_started',
      'secret.rotation_completed',
      'secret.rotation_started',
      'client.created',
    ]);
    expect(await events.locator('tbody tr').first().locator('td').nth(2).textContent()).toContain(
      `admin ${admin.clientId}`,
    );
    // The console's own refresh shows the token requests made with the client's secrets.
    await eventually(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return (await types()).includes('token.issued');
    }, true);
    await watched.shot('09-audit-events');
  });

  it('delete asks first, and a deleted client cannot get tokens', async () => {
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('Delete reporting-job?');
    expect((await focused(page)).text).toBe('Cancel');
    await watched.shot('10-delete-confirmation');
    expect(await watched.accessibilityViolations()).toEqual([]);
    await dialog().getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('Client reporting-job deleted.').waitFor();
    await eventually(clientNames, ['operations']);
    expect((await focused(page)).text).toBe('Clients');
    const refused = await tokenRequest(server, created.id, created.next);
    expect([refused.status, (refused.body as { error: string }).error]).toEqual([
      401,
      'invalid_client',
    ]);
  });

  it('filters by name, status, scope, owner and expiry, and pages with cursors', async () => {
    const inTenDays = new Date(Date.now() + 10 * 86_400_000);
    for (let i = 0; i < 23; i++) {
      const name = `batch-${String(i).padStart(2, '0')}`;
      await server.clients.create({
        clientName: name,
        scopes: ['reports:read'],
        ...(i === 3 ? { ownerId: 'org_a' } : {}),
        ...(i === 7 ? { expiresAt: inTenDays } : {}),
      });
    }
    const five = (await server.clients.list({ namePrefix: 'batch-05' })).data[0]!;
    await server.clients.update(five.clientId, { status: 'disabled' });
    await page.getByLabel('Search by name').fill('batch-');
    await eventually(async () => (await clientNames()).length, 20);
    const first = await clientNames();
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(async () => (await clientNames()).length, 3);
    const second = await clientNames();
    expect([...first, ...second].sort()).toEqual(
      Array.from({ length: 23 }, (_, i) => `batch-${String(i).padStart(2, '0')}`),
    );
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await watched.shot('11-second-page');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await eventually(clientNames, first);
    expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);

    await page.getByLabel('Status').selectOption('disabled');
    await eventually(clientNames, ['batch-05']);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Owner', { exact: true }).fill('org_a');
    await page.getByLabel('Owner', { exact: true }).press('Enter');
    await eventually(clientNames, ['batch-03']);
    await page.getByLabel('Owner', { exact: true }).fill('');
    await page.getByLabel('Owner', { exact: true }).press('Enter');
    await page.getByLabel(/^Expiring soon/).check();
    await eventually(clientNames, ['batch-07']);
    await watched.shot('12-filtered');
    await page.getByLabel(/^Expiring soon/).uncheck();
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('With scope').selectOption('m2m:admin');
    await eventually(clientNames, ['operations']);
  });

  it('lists and rotates the signing keys', async () => {
    await page.getByRole('button', { name: 'Signing keys' }).click();
    const table = page.getByRole('table', { name: 'Signing keys' });
    await eventually(
      async () => (await table.locator('tbody tr td:nth-child(3)').allTextContents()).sort(),
      ['active', 'next'],
    );
    await page.getByRole('button', { name: 'Rotate signing keys' }).click();
    expect((await focused(page)).text).toBe('Cancel');
    await dialog().getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByText(/^Signing keys rotated/).waitFor();
    expect((await table.locator('tbody tr td:nth-child(3)').allTextContents()).sort()).toEqual([
      'active',
      'next',
      'retired',
    ]);
    await watched.shot('13-signing-keys');
    expect(await watched.accessibilityViolations()).toEqual([]);
  });

  it('revokes one access token by its jti', async () => {
    const token = (
      (await tokenRequest(server, admin.clientId, admin.clientSecret)).body as {
        access_token: string;
      }
    ).access_token;
    const whoami = () => server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`);
    expect((await whoami()).status).toBe(200);
    await page.getByRole('button', { name: 'Revoke a token' }).click();
    // Focus moves to the view's heading.
    await eventually(async () => (await focused(page)).text, 'Revoke a token');
    const field = page.getByLabel('Token ID (jti)');
    await field.fill('not a token id!');
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.locator('#jti-error').waitFor();
    expect(await page.locator('#jti-error').textContent()).toBe(
      'jti must be a token id (1 to 255 characters of A-Z a-z 0-9 _ -)',
    );
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const { jti } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      jti: string;
    };
    await field.fill(jti);
    await page.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByText(`Token ${jti} revoked.`, { exact: false }).waitFor();
    expect((await whoami()).status).toBe(401);
    await watched.shot('14-token-revoked');
  });

  it('a session token revoked elsewhere signs the console out at its next call', async () => {
    const session = tokens.at(-1)!;
    const { jti } = JSON.parse(Buffer.from(session.split('.')[1]!, 'base64url').toString()) as {
      jti: string;
    };
    const revoked = await server
      .http()
      .post('/m2m/revocations')
      .set('Authorization', `Bearer ${session}`)
      .send({ jti });
    expect(revoked.status).toBe(204);
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Your admin token is no longer valid. Sign in again.');
    expect((await focused(page)).id).toBe('client-id');
    await page.getByLabel('Client ID').fill(admin.clientId);
    await page.getByLabel('Client secret').fill(admin.clientSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Clients' }).waitFor();
    await eventually(async () => tokens.at(-1) !== session, true);
  });

  it('signs out; nothing secret was ever written to storage, and the CSP held', async () => {
    const adminApi = (token: string) =>
      server.http().get('/m2m/clients').set('Authorization', `Bearer ${token}`);
    const session = tokens.at(-1)!;
    expect((await adminApi(session)).status).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // Signing out revoked the session's token on the server: it no longer opens the admin API.
    await eventually(async () => (await adminApi(session)).status, 401);
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    const contents = await watched.contents();
    for (const secret of [...tokens, admin.clientSecret, created.secret, created.next]) {
      expect(contents).not.toContain(secret);
    }
    expect(await watched.writes()).toEqual([]);
    expect(
      await page.evaluate(() => ({
        local: localStorage.length,
        session: sessionStorage.length,
        cookie: document.cookie,
      })),
    ).toEqual({ local: 0, session: 0, cookie: '' });
    expect(await context.storageState()).toEqual({ cookies: [], origins: [] });
    expect(await watched.violations()).toEqual([]);
    expect(watched.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);

    // A reload starts signed out, and the token of the page that went away is revoked.
    await page.getByLabel('Client ID').fill(admin.clientId);
    await page.getByLabel('Client secret').fill(admin.clientSecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    // The listener records the new token a moment after the page has it.
    await eventually(async () => tokens.at(-1) !== session, true);
    const reloaded = tokens.at(-1)!;
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await eventually(async () => (await adminApi(reloaded)).status, 401);
  });
});

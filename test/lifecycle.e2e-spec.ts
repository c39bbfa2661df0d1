import { decodeJwt } from 'jose';
import type { Response } from 'supertest';
import { AuditLog } from 'nestjs-m2m';
import {
  createClient,
  getToken,
  startServer,
  tokenRequest,
  type TestServer,
} from './support/server.js';

interface ClientBody {
  client_id: string;
  client_secret?: string;
  next_client_secret?: string;
  status: string;
  secret_hint: string;
  secret_last_used_at: string | null;
  last_used_at: string | null;
  token_count: number;
  rotation: {
    next_secret_hint: string;
    started_at: string;
    next_secret_last_used_at: string | null;
    current_secret_expires_at: string | null;
  } | null;
}

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('credential lifecycle', () => {
  let server: TestServer;
  let adminToken: string;
  let adminId: string;

  beforeAll(async () => {
    server = await startServer();
    const admin = await createClient(server, ['m2m:admin'], 'admin');
    adminId = admin.clientId;
    adminToken = await getToken(server, admin);
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const admin = {
    post: (path: string, body: object = {}) =>
      server.http().post(path).set('Authorization', `Bearer ${adminToken}`).send(body),
    get: (path: string) => server.http().get(path).set('Authorization', `Bearer ${adminToken}`),
    patch: (path: string, body: object) =>
      server.http().patch(path).set('Authorization', `Bearer ${adminToken}`).send(body),
    delete: (path: string) =>
      server.http().delete(path).set('Authorization', `Bearer ${adminToken}`),
  };
  const newClient = async (scopes = ['reports:read'], extra: object = {}): Promise<ClientBody> => {
    const response = await admin.post('/m2m/clients', {
      client_name: 'lifecycle',
      scopes,
      ...extra,
    });
    expect(response.status).toBe(201);
    return response.body as ClientBody;
  };
  const tokenOf = async (id: string, secret: string) => {
    const response = await tokenRequest(server, id, secret);
    expect(response.status).toBe(200);
    return (response.body as { access_token: string }).access_token;
  };
  const call = (token: string) =>
    server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`);
  const flush = () => server.app.get(AuditLog).flush();

  function expectConflict(response: Response, type: string, title: string): void {
    expect(response.status).toBe(409);
    expect(response.headers['content-type']).toBe(PROBLEM);
    expect(response.body).toMatchObject({ type, title, status: 409 });
  }

  describe('secret rotation with overlap', () => {
    it('start: a second secret shown once; both secrets work; usage shows which one is used', async () => {
      const client = await newClient();
      const start = await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`);
      expect(start.status).toBe(201);
      expect(start.headers['cache-control']).toBe('no-store');
      const started = start.body as ClientBody;
      expect(started.next_client_secret).toMatch(/^m2ms_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/);
      expect(started.next_client_secret).not.toBe(client.client_secret);
      expect(started.rotation).toEqual({
        next_secret_hint: started.next_client_secret!.slice(-4),
        started_at: expect.any(String),
        next_secret_last_used_at: null,
        current_secret_expires_at: null,
      });
      expect(started.secret_hint).toBe(client.secret_hint);

      await tokenOf(client.client_id, client.client_secret!);
      await flush();
      const afterOld = (await admin.get(`/m2m/clients/${client.client_id}`)).body as ClientBody;
      expect(afterOld.secret_last_used_at).not.toBeNull();
      expect(afterOld.rotation!.next_secret_last_used_at).toBeNull();

      await tokenOf(client.client_id, started.next_client_secret!);
      await flush();
      const afterNew = (await admin.get(`/m2m/clients/${client.client_id}`)).body as ClientBody;
      expect(afterNew.rotation!.next_secret_last_used_at).not.toBeNull();
      expect(afterNew.token_count).toBe(2);
      expect(afterNew.last_used_at).not.toBeNull();
      // The next secret is never shown again.
      expect(JSON.stringify(afterNew)).not.toContain(started.next_client_secret);
    });

    it('complete: the next secret becomes current; the old secret and the tokens issued so far stop working', async () => {
      const client = await newClient();
      const next = (
        (await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`)).body as ClientBody
      ).next_client_secret!;
      const oldToken = await tokenOf(client.client_id, client.client_secret!);
      expect((await call(oldToken)).status).toBe(200);

      const complete = await admin.post(
        `/m2m/clients/${client.client_id}/secrets/rotation/complete`,
      );
      expect(complete.status).toBe(200);
      expect(complete.body).toMatchObject({ rotation: null, secret_hint: next.slice(-4) });

      expect((await tokenRequest(server, client.client_id, client.client_secret!)).status).toBe(
        401,
      );
      expect((await call(oldToken)).status).toBe(401);
      const newToken = await tokenOf(client.client_id, next);
      expect((await call(newToken)).status).toBe(200);
    });

    it('cancel: the next secret is discarded, the current one keeps working', async () => {
      const client = await newClient();
      const next = (
        (await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`)).body as ClientBody
      ).next_client_secret!;
      const cancel = await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/cancel`);
      expect(cancel.status).toBe(200);
      expect(cancel.body).toMatchObject({ rotation: null, secret_hint: client.secret_hint });
      expect((await tokenRequest(server, client.client_id, next)).status).toBe(401);
      expect((await tokenRequest(server, client.client_id, client.client_secret!)).status).toBe(
        200,
      );
    });

    it('a grace period ends the old secret on its own', async () => {
      const client = await newClient();
      const start = await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`, {
        grace_seconds: 0,
      });
      const started = start.body as ClientBody;
      expect(started.rotation!.current_secret_expires_at).toBe(started.rotation!.started_at);
      expect((await tokenRequest(server, client.client_id, client.client_secret!)).status).toBe(
        401,
      );
      expect(
        (await tokenRequest(server, client.client_id, started.next_client_secret!)).status,
      ).toBe(200);
    });

    it('precise errors: complete or cancel without a rotation, a second start, a disabled or unknown client, a bad grace', async () => {
      const client = await newClient();
      expectConflict(
        await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/complete`),
        'urn:m2m:problem:no-rotation',
        'No rotation in progress',
      );
      expectConflict(
        await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/cancel`),
        'urn:m2m:problem:no-rotation',
        'No rotation in progress',
      );
      await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`);
      expectConflict(
        await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`),
        'urn:m2m:problem:rotation-in-progress',
        'Rotation already in progress',
      );
      const disabled = await newClient();
      await admin.patch(`/m2m/clients/${disabled.client_id}`, { status: 'disabled' });
      expectConflict(
        await admin.post(`/m2m/clients/${disabled.client_id}/secrets/rotation`),
        'urn:m2m:problem:client-disabled',
        'Client is disabled',
      );
      const gone = await newClient();
      await admin.delete(`/m2m/clients/${gone.client_id}`);
      const missing = await admin.post(`/m2m/clients/${gone.client_id}/secrets/rotation`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ type: 'urn:m2m:problem:client-not-found' });
      const fresh = await newClient();
      const bad = await admin.post(`/m2m/clients/${fresh.client_id}/secrets/rotation`, {
        grace_seconds: -1,
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({
        errors: [{ pointer: '#/grace_seconds', detail: 'grace_seconds must not be less than 0' }],
      });
    });

    it('concurrent starts leave exactly one next secret, and it is the one returned', async () => {
      const client = await newClient();
      const responses = await Promise.all(
        Array.from({ length: 8 }, () =>
          admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`),
        ),
      );
      const created = responses.filter((r) => r.status === 201);
      expect(created).toHaveLength(1);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(7);
      const next = (created[0]!.body as ClientBody).next_client_secret!;
      const current = (await admin.get(`/m2m/clients/${client.client_id}`)).body as ClientBody;
      expect(current.rotation!.next_secret_hint).toBe(next.slice(-4));
      expect((await tokenRequest(server, client.client_id, next)).status).toBe(200);
    });

    it('concurrent complete and cancel: exactly one of them wins', async () => {
      const client = await newClient();
      await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`);
      const [complete, cancel] = await Promise.all([
        admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/complete`),
        admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/cancel`),
      ]);
      expect([complete.status, cancel.status].sort()).toEqual([200, 409]);
      expect(
        ((await admin.get(`/m2m/clients/${client.client_id}`)).body as ClientBody).rotation,
      ).toBeNull();
    });
  });

  describe('revocation at the issuing server’s guard', () => {
    it('disable revokes tokens issued before, at once; enable lets new tokens work', async () => {
      const client = await newClient();
      const token = await tokenOf(client.client_id, client.client_secret!);
      expect((await call(token)).status).toBe(200);
      await admin.patch(`/m2m/clients/${client.client_id}`, { status: 'disabled' });
      const rejected = await call(token);
      expect(rejected.status).toBe(401);
      expect(rejected.headers['www-authenticate']).toContain('error="invalid_token"');
      await admin.patch(`/m2m/clients/${client.client_id}`, { status: 'active' });
      expect((await call(token)).status).toBe(401);
      const fresh = await tokenOf(client.client_id, client.client_secret!);
      expect(decodeJwt(fresh).token_version).toBe(1);
      expect((await call(fresh)).status).toBe(200);
    });

    it('delete revokes tokens issued before', async () => {
      const client = await newClient();
      const token = await tokenOf(client.client_id, client.client_secret!);
      await admin.delete(`/m2m/clients/${client.client_id}`);
      expect((await call(token)).status).toBe(401);
    });

    it('a single token can be revoked by its jti; the client’s other tokens keep working', async () => {
      const client = await newClient();
      const revoked = await tokenOf(client.client_id, client.client_secret!);
      const kept = await tokenOf(client.client_id, client.client_secret!);
      const response = await admin.post('/m2m/revocations', { jti: decodeJwt(revoked).jti });
      expect(response.status).toBe(204);
      expect((await call(revoked)).status).toBe(401);
      expect((await call(kept)).status).toBe(200);
    });

    it('rejects a malformed jti', async () => {
      const response = await admin.post('/m2m/revocations', { jti: 'not a jti!' });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        errors: [
          {
            pointer: '#/jti',
            detail: 'jti must be a token id (1 to 255 characters of A-Z a-z 0-9 _ -)',
          },
        ],
      });
    });
  });

  describe('expiry', () => {
    it('lists the clients that expire within N days, and shows their expiry', async () => {
      const soon = new Date(Date.now() + 3 * 24 * 3600 * 1000);
      soon.setMilliseconds(0);
      const later = new Date(Date.now() + 30 * 24 * 3600 * 1000);
      const a = await newClient([], {
        client_name: 'expiring-soon',
        expires_at: soon.toISOString(),
      });
      const b = await newClient([], {
        client_name: 'expiring-later',
        expires_at: later.toISOString(),
      });
      const list = await admin.get('/m2m/clients?expires_within_days=7&limit=100');
      expect(list.status).toBe(200);
      const ids = (list.body as { data: { client_id: string; expires_at: string }[] }).data.map(
        (c) => c.client_id,
      );
      expect(ids).toContain(a.client_id);
      expect(ids).not.toContain(b.client_id);
      expect(ids).not.toContain(adminId);
      const before = await admin.get(
        `/m2m/clients?expires_before=${encodeURIComponent(later.toISOString())}&limit=100`,
      );
      expect(
        (before.body as { data: { client_id: string }[] }).data.map((c) => c.client_id),
      ).toEqual(expect.arrayContaining([a.client_id, b.client_id]));
    });
  });

  describe('list filters', () => {
    it('filters by owner, scope and name prefix, combined', async () => {
      const acme = await newClient(['orders:read', 'orders:write'], {
        client_name: 'acme-sync',
        owner_id: 'org_acme',
      });
      await newClient(['orders:read'], { client_name: 'globex-sync', owner_id: 'org_globex' });
      await newClient(['orders:write'], { client_name: 'acme-export', owner_id: 'org_acme' });
      const ids = async (query: string) =>
        (
          (await admin.get(`/m2m/clients?${query}&limit=100`)).body as {
            data: { client_name: string }[];
          }
        ).data.map((c) => c.client_name);
      expect(await ids('owner_id=org_acme')).toEqual(['acme-export', 'acme-sync']);
      expect(await ids('scope=orders:read')).toEqual(['globex-sync', 'acme-sync']);
      expect(await ids('name_prefix=acme-')).toEqual(['acme-export', 'acme-sync']);
      expect(await ids('owner_id=org_acme&scope=orders:read&name_prefix=acme')).toEqual([
        'acme-sync',
      ]);
      // A scope filter matches whole scopes only.
      expect(await ids('scope=orders')).toEqual([]);
      expect(acme.client_id).toMatch(/^m2mc_/);
    });

    it('matches a name prefix exactly, for the whole of Unicode and for LIKE wildcards', async () => {
      const names = ['qq', 'qq😀', 'qq\uffff', 'qq\u{10ffff}', 'qr', 'qQ', 'q%q', 'q_q', 'qa%'];
      for (const name of names) await newClient(['reports:read'], { client_name: name });
      const ids = async (prefix: string) =>
        (
          (await admin.get(`/m2m/clients?name_prefix=${encodeURIComponent(prefix)}&limit=100`))
            .body as { data: { client_name: string }[] }
        ).data
          .map((c) => c.client_name)
          .sort();
      expect(await ids('qq')).toEqual(['qq', 'qq\u{10ffff}', 'qq\uffff', 'qq😀'].sort());
      expect(await ids('qq😀')).toEqual(['qq😀']);
      expect(await ids('q%')).toEqual(['q%q']);
      expect(await ids('q_')).toEqual(['q_q']);
    });
  });

  describe('audit log', () => {
    it('records every change with its actor, never a secret, and is filterable and paginated', async () => {
      const client = await newClient();
      await admin.patch(`/m2m/clients/${client.client_id}`, { client_name: 'renamed' });
      await admin.patch(`/m2m/clients/${client.client_id}`, { status: 'disabled' });
      await admin.patch(`/m2m/clients/${client.client_id}`, { status: 'active' });
      const next = (
        (await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`)).body as ClientBody
      ).next_client_secret!;
      await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/complete`);
      await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation`);
      await admin.post(`/m2m/clients/${client.client_id}/secrets/rotation/cancel`);
      const token = await tokenOf(client.client_id, next);
      await tokenRequest(server, client.client_id, client.client_secret!); // the retired secret
      await admin.delete(`/m2m/clients/${client.client_id}`);
      await flush();

      const response = await admin.get(`/m2m/audit-events?client_id=${client.client_id}&limit=100`);
      expect(response.status).toBe(200);
      const events = (
        response.body as { data: { type: string; actor: { type: string; id: string | null } }[] }
      ).data;
      expect(events.map((e) => e.type).reverse()).toEqual([
        'client.created',
        'client.updated',
        'client.disabled',
        'client.enabled',
        'secret.rotation_started',
        'secret.rotation_completed',
        'secret.rotation_started',
        'secret.rotation_cancelled',
        'token.issued',
        'authentication.failed',
        'client.deleted',
      ]);
      for (const event of events) {
        const expected =
          event.type === 'token.issued' || event.type === 'authentication.failed'
            ? { type: 'client', id: client.client_id }
            : { type: 'admin', id: adminId };
        expect(event.actor).toEqual(expected);
      }
      const text = response.text;
      expect(text).not.toContain(client.client_secret);
      expect(text).not.toContain(next);
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split('.')[2]);

      const onlyFailures = await admin.get(
        `/m2m/audit-events?client_id=${client.client_id}&type=authentication.failed`,
      );
      expect((onlyFailures.body as { data: unknown[] }).data).toHaveLength(1);

      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: Response = await admin.get(
          `/m2m/audit-events?client_id=${client.client_id}&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
        );
        const body = page.body as { data: { id: number }[]; next_cursor: string | null };
        seen.push(...body.data.map((e) => e.id));
        cursor = body.next_cursor;
      } while (cursor !== null);
      expect(seen).toHaveLength(11);
      // The same events in the same order as the single page.
      expect(seen).toEqual((response.body as { data: { id: number }[] }).data.map((e) => e.id));
    });

    it('rejects bad filters with a problem', async () => {
      const response = await admin.get('/m2m/audit-events?type=client.exploded&limit=0');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe(PROBLEM);
    });
  });
});

describe('revocation across instances on one database', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    first = await startServer({ m2m: { revocationRefreshMs: 100 } });
    // The same issuer: a second instance behind the same URL.
    second = await startServer({
      database: first.database,
      m2m: { revocationRefreshMs: 100, issuer: first.url, audience: first.url },
    });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
    await first.database.drop();
  });

  it('a client disabled on one instance is rejected by the other within the refresh interval', async () => {
    const client = await createClient(first, ['reports:read']);
    const token = await getToken(first, client);
    const whoami = (server: TestServer) =>
      server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`);
    expect((await whoami(second)).status).toBe(200);
    await first.clients.update(client.clientId, { status: 'disabled' });
    expect((await whoami(first)).status).toBe(401);
    const deadline = Date.now() + 3000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await whoami(second)).status;
    }
    expect(status).toBe(401);
  });
});

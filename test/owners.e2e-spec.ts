import { Controller, Get, Module } from '@nestjs/common';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { ClientsService, M2mClient, RequireScopes, type M2mPrincipal } from 'nestjs-m2m';
import { startHostApp, TenantGuard, type HostApp } from './support/host-app.js';
import { basic } from './support/server.js';
import { withSecret } from './support/server.js';

@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(@M2mClient() client: M2mPrincipal): { tenant: string | null; metadata: unknown } {
    return { tenant: client.ownerId, metadata: client.metadata ?? null };
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

interface ClientBody {
  client_id: string;
  client_secret: string;
  owner_id: string | null;
  scopes: string[];
}

describe('owners (multi-tenant clients)', () => {
  let host: HostApp;
  const http = () => request(host.app.getHttpServer());
  const as = (tenant: string) => ({
    post: (path: string, body: object = {}) => http().post(path).set('x-tenant', tenant).send(body),
    get: (path: string) => http().get(path).set('x-tenant', tenant),
    patch: (path: string, body: object) => http().patch(path).set('x-tenant', tenant).send(body),
    delete: (path: string) => http().delete(path).set('x-tenant', tenant),
  });
  const acme = as('org_acme');
  const globex = as('org_globex');

  beforeAll(async () => {
    host = await startHostApp(
      {
        isGlobal: true,
        metadataClaims: ['plan', 'region'],
        // Scopes of their own, so that the scopes of the other tests stay on the default audience.
        resources: {
          'https://orders.example.com': ['shipments:read'],
          'https://billing.example.com': ['billing:read'],
        },
        ownerApi: {
          guard: TenantGuard,
          scopes: ['orders:read', 'orders:write'],
          audiences: ['https://orders.example.com'],
        },
      },
      [OrdersModule],
    );
  });

  afterAll(() => host.close());

  const create = async (tenant: ReturnType<typeof as>, body: object = {}): Promise<ClientBody> => {
    const response = await tenant.post('/m2m/owner/clients', {
      client_name: 'sync',
      scopes: ['orders:read'],
      ...body,
    });
    expect(response.status).toBe(201);
    return response.body as ClientBody;
  };
  const tokenFor = async (client: ClientBody) => {
    const response = await http()
      .post('/oauth2/token')
      .set('Authorization', basic(client.client_id, client.client_secret))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(response.status).toBe(200);
    return (response.body as { access_token: string }).access_token;
  };

  it('an owner creates clients that belong to it, whatever owner_id the body claims', async () => {
    const client = await create(acme, { owner_id: 'org_globex' });
    expect(client.owner_id).toBe('org_acme');
    expect((await host.app.get(ClientsService).get(client.client_id)).ownerId).toBe('org_acme');
  });

  it('the owner policy limits audiences as it limits scopes', async () => {
    const allowed = await create(acme, { audiences: ['https://orders.example.com'] });
    expect((allowed as unknown as { audiences: string[] }).audiences).toEqual([
      'https://orders.example.com',
    ]);
    const refused = await acme.post('/m2m/owner/clients', {
      client_name: 'sync',
      scopes: ['orders:read'],
      audiences: ['https://billing.example.com'],
    });
    expect([refused.status, refused.headers['content-type'], refused.body.errors]).toEqual([
      400,
      'application/problem+json; charset=utf-8',
      [{ pointer: '#/audiences/0', detail: 'is not an audience you may grant' }],
    ]);
    const patched = await acme.patch(`/m2m/owner/clients/${allowed.client_id}`, {
      audiences: ['https://orders.example.com', 'https://billing.example.com'],
    });
    expect([patched.status, patched.body.errors]).toEqual([
      400,
      [{ pointer: '#/audiences/1', detail: 'is not an audience you may grant' }],
    ]);
  });

  it('answers a tampered cursor with a 400 problem', async () => {
    const cursor = Buffer.from(JSON.stringify([Number.MAX_SAFE_INTEGER, 'zzzz'])).toString(
      'base64url',
    );
    const response = await acme.get(`/m2m/owner/clients?cursor=${cursor}`);
    expect([response.status, response.headers['content-type'], response.body.errors]).toEqual([
      400,
      'application/problem+json; charset=utf-8',
      [{ pointer: '#/cursor', detail: 'is not a cursor returned by this API' }],
    ]);
  });

  it('lists only its own clients', async () => {
    const mine = await create(acme);
    const theirs = await create(globex);
    const ids = (
      (await acme.get('/m2m/owner/clients?limit=100')).body as { data: ClientBody[] }
    ).data.map((c) => c.client_id);
    expect(ids).toContain(mine.client_id);
    expect(ids).not.toContain(theirs.client_id);
    // Asking for another owner's clients changes nothing.
    const forced = (
      (await acme.get('/m2m/owner/clients?owner_id=org_globex&limit=100')).body as {
        data: ClientBody[];
      }
    ).data;
    expect(forced.every((c) => c.owner_id === 'org_acme')).toBe(true);
  });

  it('another owner’s client is 404, for every operation, and stays untouched', async () => {
    const theirs = await create(globex);
    const notFound = {
      type: 'urn:m2m:problem:client-not-found',
      title: 'Client not found',
      status: 404,
      detail: `No client with id "${theirs.client_id}".`,
    };
    const attempts = [
      acme.get(`/m2m/owner/clients/${theirs.client_id}`),
      acme.patch(`/m2m/owner/clients/${theirs.client_id}`, { status: 'disabled' }),
      acme.delete(`/m2m/owner/clients/${theirs.client_id}`),
      acme.post(`/m2m/owner/clients/${theirs.client_id}/secrets/rotation`),
      acme.post(`/m2m/owner/clients/${theirs.client_id}/secrets/rotation/complete`),
      acme.post(`/m2m/owner/clients/${theirs.client_id}/secrets/rotation/cancel`),
    ];
    for (const attempt of attempts) {
      const response = await attempt;
      expect({ status: response.status, body: response.body as object }).toEqual({
        status: 404,
        body: notFound,
      });
    }
    const unchanged = await host.app.get(ClientsService).get(theirs.client_id);
    expect([unchanged.status, unchanged.nextSecret]).toEqual(['active', null]);
  });

  it('an owner manages its own client: update, rotate, delete', async () => {
    const client = await create(acme);
    expect(
      (await acme.patch(`/m2m/owner/clients/${client.client_id}`, { client_name: 'renamed' })).body,
    ).toMatchObject({
      client_name: 'renamed',
    });
    const started = await acme.post(`/m2m/owner/clients/${client.client_id}/secrets/rotation`);
    expect(started.status).toBe(201);
    expect(
      (await acme.post(`/m2m/owner/clients/${client.client_id}/secrets/rotation/complete`)).status,
    ).toBe(200);
    expect((await acme.delete(`/m2m/owner/clients/${client.client_id}`)).status).toBe(204);
  });

  it('an owner can grant only the configured scopes', async () => {
    const response = await acme.post('/m2m/owner/clients', {
      client_name: 'x',
      scopes: ['orders:read', 'm2m:admin'],
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      errors: [{ pointer: '#/scopes/1', detail: '"m2m:admin" is not a scope you may grant' }],
    });
    const client = await create(acme);
    const patch = await acme.patch(`/m2m/owner/clients/${client.client_id}`, {
      scopes: ['billing:all'],
    });
    expect(patch.status).toBe(400);
  });

  it('tells an owner what it may grant: the policy of the ownerApi option', async () => {
    const response = await acme.get('/m2m/owner/policy');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      scopes: ['orders:read', 'orders:write'],
      audiences: ['https://orders.example.com'],
    });
    expect((await http().get('/m2m/owner/policy')).status).toBe(403);
  });

  it('an owner reads the audit events of its own clients only', async () => {
    const client = await create(acme);
    await acme.post(`/m2m/owner/clients/${client.client_id}/secrets/rotation`);
    // An operator acts on the tenant's client: the owner sees that it happened, not who did it.
    await host.app
      .get(ClientsService)
      .update(
        client.client_id,
        { status: 'disabled' },
        { actor: { type: 'admin', id: 'm2mc_operator_console' } },
      );
    const path = `/m2m/owner/clients/${client.client_id}/audit-events`;
    const response = await acme.get(path);
    expect(response.status).toBe(200);
    const events = (
      response.body as { data: { type: string; actor: unknown; client_id: string }[] }
    ).data;
    expect(events.map((event) => [event.type, event.actor, event.client_id])).toEqual([
      ['client.disabled', { type: 'admin', id: null }, client.client_id],
      ['secret.rotation_started', { type: 'owner', id: 'org_acme' }, client.client_id],
      ['client.created', { type: 'owner', id: 'org_acme' }, client.client_id],
    ]);
    expect(JSON.stringify(response.body)).not.toContain('m2mc_operator_console');
    expect(JSON.stringify(response.body)).not.toContain(client.client_secret);
    expect((response.body as { next_cursor: unknown }).next_cursor).toBeNull();

    const theirs = await globex.get(path);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toMatchObject({
      type: 'urn:m2m:problem:client-not-found',
      status: 404,
    });
    const invalid = await acme.get(`${path}?limit=many`);
    expect(invalid.status).toBe(400);
    expect(invalid.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect((invalid.body as { errors: unknown }).errors).toEqual([
      { pointer: '#/limit', detail: 'limit must be an integer number' },
    ]);
  });

  it('is denied without the host guard’s owner (fails closed)', async () => {
    const none = await http().get('/m2m/owner/clients');
    expect(none.status).toBe(403);
    expect(none.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const empty = await as('').get('/m2m/owner/clients');
    expect(empty.status).toBe(403);
    expect(empty.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'The owner guard did not identify an owner.',
    });
  });

  it('the principal carries the owner, and the allow-listed metadata travels in the token', async () => {
    const client = await create(acme, {
      metadata: { plan: 'gold', region: 'eu', secret_note: 'internal' },
    });
    const token = await tokenFor(client);
    expect(decodeJwt(token)).toMatchObject({
      owner_id: 'org_acme',
      metadata: { plan: 'gold', region: 'eu' },
    });
    expect(decodeJwt(token).metadata).not.toHaveProperty('secret_note');
    const response = await http().get('/orders').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ tenant: 'org_acme', metadata: { plan: 'gold', region: 'eu' } });
  });

  it('a client without owner or listed metadata has neither claim', async () => {
    const client = withSecret(
      await host.app
        .get(ClientsService)
        .create({ clientName: 'plain', scopes: ['orders:read'], metadata: { other: 1 } }),
    );
    const token = await tokenFor({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      owner_id: null,
      scopes: [],
    });
    const claims = decodeJwt(token);
    expect(claims).not.toHaveProperty('owner_id');
    expect(claims).not.toHaveProperty('metadata');
    const response = await http().get('/orders').set('Authorization', `Bearer ${token}`);
    expect(response.body).toEqual({ tenant: null, metadata: null });
  });
});

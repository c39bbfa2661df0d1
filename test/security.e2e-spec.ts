import { DataSource } from 'typeorm';
import { AuditLog } from 'nestjs-m2m';
import { generateClientSecret } from '../libs/m2m/src/clients/client-secret.js';
import { basic, createClient, getToken, startServer, type TestServer } from './support/server.js';

describe('security properties', () => {
  describe('no secrets or tokens in logs', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer();
    });

    afterAll(async () => {
      await server.close();
      await server.database.drop();
    });

    it('logs neither client secrets nor access tokens, at any level', async () => {
      const admin = await createClient(server, ['m2m:admin']);
      const adminToken = await getToken(server, admin);
      const created = await server
        .http()
        .post('/m2m/clients')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ client_name: 'reporter', scopes: ['reports:read'] });
      expect(created.status).toBe(201);
      const reporter = created.body as { client_id: string; client_secret: string };

      // Successes and failures of every kind, with the secrets in play.
      const tokens = [adminToken];
      tokens.push(
        await getToken(server, {
          clientId: reporter.client_id,
          clientSecret: reporter.client_secret,
        }),
      );
      const post = await server.http().post('/oauth2/token').type('form').send({
        grant_type: 'client_credentials',
        client_id: reporter.client_id,
        client_secret: reporter.client_secret,
      });
      tokens.push((post.body as { access_token: string }).access_token);
      // Well-formed (valid checksum) but not this client's: it reaches the hash comparison.
      const wrongSecret = admin.clientSecret;
      for (const attempt of [
        server
          .http()
          .post('/oauth2/token')
          .set('Authorization', basic(reporter.client_id, wrongSecret))
          .type('form')
          .send({ grant_type: 'client_credentials' }),
        server.http().post('/oauth2/token').type('form').send({
          grant_type: 'client_credentials',
          client_id: 'm2mc_unknown',
          client_secret: reporter.client_secret,
        }),
        server
          .http()
          .post('/oauth2/token')
          .set('Authorization', basic(reporter.client_id, reporter.client_secret))
          .type('form')
          .send({ grant_type: 'password', scope: 'nope' }),
        server
          .http()
          .post('/oauth2/token')
          .set('Authorization', basic(reporter.client_id, reporter.client_secret))
          .type('form')
          .send({ grant_type: 'client_credentials', scope: 'reports:write' }),
      ]) {
        expect((await attempt).status).toBeGreaterThanOrEqual(400);
      }
      for (const token of tokens) {
        expect(
          (await server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`)).status,
        ).toBe(200);
        expect(
          (await server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}x`)).status,
        ).toBe(401);
      }

      // The capture is real: it saw the failures it must report (by client id only).
      const log = server.logger.lines.join('\n');
      expect(log).toContain(`invalid_client: client ${reporter.client_id}: secret does not match`);
      expect(log).toContain('invalid_client: client m2mc_unknown: unknown client');
      for (const secret of [admin.clientSecret, reporter.client_secret]) {
        expect(log).not.toContain(secret);
        expect(log).not.toContain(secret.slice(5)); // without the prefix
      }
      for (const token of tokens) {
        expect(log).not.toContain(token);
        expect(log).not.toContain(token.split('.')[2]); // not even the signature
      }
    });
  });

  describe('database failure during issuance', () => {
    let server: TestServer;
    let dataSource: DataSource;

    beforeAll(async () => {
      server = await startServer();
      dataSource = server.app.get(DataSource);
    });

    afterAll(async () => {
      if (!dataSource.isInitialized) await dataSource.initialize();
      await server.close();
      await server.database.drop();
    });

    it('answers 500 server_error in the OAuth shape, without internals, and writes nothing', async () => {
      const client = await createClient(server, ['reports:read']);
      const adminClient = await createClient(server, ['m2m:admin']);
      const adminToken = await getToken(server, adminClient);
      const clientsBefore = (await server.clients.list({ limit: 100 })).data.length;
      await dataSource.destroy();

      const token = await server
        .http()
        .post('/oauth2/token')
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(token.status).toBe(500);
      expect(token.headers['cache-control']).toBe('no-store');
      expect(token.headers['pragma']).toBe('no-cache');
      expect(token.body).toEqual({
        error: 'server_error',
        error_description: 'The authorization server could not handle the request.',
      });

      const create = await server
        .http()
        .post('/m2m/clients')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({ client_name: 'during-outage', scopes: ['reports:read'] });
      expect(create.status).toBe(500);
      expect(create.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(create.body).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        detail: 'The server could not handle the request.',
      });

      const health = await server.http().get('/health');
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'unavailable', checks: { database: 'down' } });

      await dataSource.initialize();
      const after = await server.clients.list({ limit: 100 });
      expect(after.data.length).toBe(clientsBefore);
      expect(after.data.map((c) => c.clientName)).not.toContain('during-outage');
    });
  });
});

describe('NUL bytes and other text a database refuses (PostgreSQL refuses U+0000)', () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startServer();
    adminToken = await getToken(server, await createClient(server, ['m2m:admin'], 'admin'));
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const admin = (path: string) =>
    server.http().get(path).set('Authorization', `Bearer ${adminToken}`);
  const PROBLEM = 'application/problem+json; charset=utf-8';

  it('a NUL in client_id is an invalid_client, and the audit log and usage go on being written', async () => {
    const client = await createClient(server, ['reports:read']);
    const poisoned = await server.http().post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: '\u0000',
      client_secret: generateClientSecret(),
    });
    expect([poisoned.status, poisoned.body]).toEqual([
      401,
      { error: 'invalid_client', error_description: 'Client authentication failed.' },
    ]);
    await getToken(server, client);
    const audit = server.app.get(AuditLog);
    await audit.flush(true);
    expect((await server.clients.get(client.clientId)).tokenCount).toBe(1);
    const failures = (await audit.list({ type: 'authentication.failed' })).data;
    expect(failures.map((event) => event.clientId)).toContain('\ufffd');
    expect(
      (await audit.list({ clientId: client.clientId, type: 'token.issued' })).data,
    ).toHaveLength(1);
  });

  it('a NUL in a path id is a 404 problem', async () => {
    const response = await admin('/m2m/clients/%00');
    expect([response.status, response.headers['content-type']]).toEqual([404, PROBLEM]);
  });

  it.each([
    ['/m2m/clients?name_prefix=a%00', 'name_prefix'],
    ['/m2m/clients?owner_id=%00', 'owner_id'],
    ['/m2m/clients?scope=%00', 'scope'],
    ['/m2m/audit-events?client_id=%00', 'client_id'],
    ['/m2m/audit-events?owner_id=%00', 'owner_id'],
    ['/m2m/audit-events?actor_id=%00', 'actor_id'],
  ])('a NUL in a filter (%s) is a 400 problem naming it', async (path, field) => {
    const response = await admin(path);
    expect([response.status, response.headers['content-type'], response.body.errors]).toEqual([
      400,
      PROBLEM,
      [{ pointer: `#/${field}`, detail: 'must not contain control characters' }],
    ]);
  });

  it('a tampered cursor is a 400 problem on the client list and the audit log', async () => {
    const cursor = Buffer.from(JSON.stringify([Number.MAX_SAFE_INTEGER, 'zzzz'])).toString(
      'base64url',
    );
    for (const path of ['/m2m/clients', '/m2m/audit-events']) {
      const response = await admin(`${path}?cursor=${cursor}`);
      expect([response.status, response.headers['content-type'], response.body.errors]).toEqual([
        400,
        PROBLEM,
        [{ pointer: '#/cursor', detail: 'is not a cursor returned by this API' }],
      ]);
    }
  });

  it('swapped Basic credentials (secret:id) never put the secret in a log line or the audit log', async () => {
    const client = await createClient(server, ['reports:read']);
    const response = await server
      .http()
      .post('/oauth2/token')
      .set('Authorization', basic(client.clientSecret, client.clientId))
      .type('form')
      .send({ grant_type: 'client_credentials' });
    expect(response.status).toBe(401);
    const audit = server.app.get(AuditLog);
    await audit.flush(true);
    const events = JSON.stringify((await audit.list({ limit: 100 })).data);
    expect(events).not.toContain(client.clientSecret);
    expect(events).toContain('[secret-shaped value]');
    expect(server.logger.lines.join('\n')).not.toContain(client.clientSecret);
    expect(server.logger.lines.join('\n')).toContain('client [secret-shaped value]');
  });

  it('a secret pasted into client_id with other text around it is redacted too', async () => {
    const client = await createClient(server, ['reports:read']);
    await server
      .http()
      .post('/oauth2/token')
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_id: ` ${client.clientSecret}`,
        client_secret: client.clientSecret,
      });
    const audit = server.app.get(AuditLog);
    await audit.flush(true);
    expect(JSON.stringify((await audit.list({ limit: 100 })).data)).not.toContain(
      client.clientSecret,
    );
    expect(server.logger.lines.join('\n')).not.toContain(client.clientSecret);
  });

  it.each([
    ['since', '2030-W01-1'],
    ['until', '2030-01-01T00Z'],
  ])('an audit %s that is no date is a 400 problem', async (field, value) => {
    const response = await admin(`/m2m/audit-events?${field}=${value}`);
    expect([response.status, response.body.errors]).toEqual([
      400,
      [{ pointer: `#/${field}`, detail: 'must be an RFC 3339 date-time' }],
    ]);
  });

  it.each([
    ['/m2m/clients?valueOf=1', 'valueOf'],
    ['/m2m/audit-events?constructor', 'constructor'],
    ['/m2m/audit-events?prototype', 'prototype'],
  ])('an unknown parameter named after an object property is refused: %s', async (path, key) => {
    const response = await admin(path);
    expect([response.status, response.body.errors]).toEqual([
      400,
      [{ pointer: `#/${key}`, detail: `property ${key} should not exist` }],
    ]);
  });

  it('an unknown body member named constructor is refused, not ignored', async () => {
    const response = await server
      .http()
      .post('/m2m/clients')
      .set('Authorization', `Bearer ${adminToken}`)
      .set('Content-Type', 'application/json')
      .send('{"client_name":"x","scopes":[],"constructor":{"name":"y"}}');
    expect([response.status, response.body.errors]).toEqual([
      400,
      [{ pointer: '#/constructor', detail: 'property constructor should not exist' }],
    ]);
  });

  it('a line feed in client_id cannot forge a log line', async () => {
    await server.http().post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: 'x\nERROR forged',
      client_secret: generateClientSecret(),
    });
    const lines = server.logger.lines.filter((line) => line.includes('forged'));
    expect(lines).toEqual([expect.stringContaining('client x\\x0aERROR forged: unknown client')]);
  });
});

import { DataSource } from 'typeorm';
import { AuditLog } from 'nestjs-m2m';
import { AuditRetention } from '../libs/m2m/src/audit/audit-retention.service.js';
import { generateClientSecret } from '../libs/m2m/src/clients/client-secret.js';
import { basic, createClient, startServer, type TestServer } from './support/server.js';

describe('audit log: repeated failures summed, old events purged', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ m2m: { auditRetentionDays: 30 } });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('a burst of failures for one client id becomes two events, with the count', async () => {
    const client = await createClient(server, ['reports:read']);
    for (let i = 0; i < 25; i++) {
      const response = await server
        .http()
        .post('/oauth2/token')
        .set('Authorization', basic(client.clientId, generateClientSecret()))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(401);
    }
    const audit = server.app.get(AuditLog);
    await audit.flush(true);
    const events = (await audit.list({ clientId: client.clientId, type: 'authentication.failed' }))
      .data;
    expect(events.map((event) => event.details)).toEqual([
      expect.objectContaining({ method: 'client_secret_basic', count: 24 }),
      { method: 'client_secret_basic', count: 1 },
    ]);
  });

  it('deletes events older than auditRetentionDays, and keeps the others', async () => {
    const client = await createClient(server, ['reports:read']);
    const dataSource = server.app.get(DataSource);
    const old = Date.now() - 31 * 86_400_000;
    await dataSource.query(
      `UPDATE m2m_audit_events SET occurred_at = ${old} WHERE client_id = '${client.clientId}'`,
    );
    await server.clients.update(client.clientId, { clientName: 'renamed' });
    const purged = await server.app.get(AuditRetention).purge();
    expect(purged).toBeGreaterThanOrEqual(1);
    const left = (await server.app.get(AuditLog).list({ clientId: client.clientId })).data;
    expect(left.map((event) => event.type)).toEqual(['client.updated']);
  });
});

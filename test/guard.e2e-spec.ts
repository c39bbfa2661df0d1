import { createClient, getToken, startServer, type TestServer } from './support/server.js';

describe('guard and scopes (RFC 6750)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  it('gives the principal to a handler that accepts any valid token', async () => {
    const client = await createClient(server, ['reports:read']);
    const token = await getToken(server, client);
    const response = await server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ client_id: client.clientId, scopes: ['reports:read'] });
  });
});

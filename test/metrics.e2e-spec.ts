import { generateClientSecret } from '../libs/m2m/src/clients/client-secret.js';
import { tokenRequestFrom } from './support/http-from.js';
import { basic, createClient, getToken, startServer, type TestServer } from './support/server.js';

describe('GET /metrics (Prometheus)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({
      m2m: { rateLimit: { failuresPerClient: 1, failuresPerIp: 100 } },
    });
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const series = async (): Promise<string[]> => {
    const response = await server.http().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return response.text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  };

  it('counts token requests by outcome, cache lookups, limits and guard rejections, and shows no secret or token', async () => {
    const client = await createClient(server, ['reports:read']);
    const token = await getToken(server, client);
    await getToken(server, client);
    const wrong = generateClientSecret();
    // From an address the client never used, so that its spent budget applies there.
    const attempt = (secret: string) =>
      tokenRequestFrom(server.url, '127.0.0.9', basic(client.clientId, secret));
    expect((await attempt(wrong)).status).toBe(401);
    expect((await attempt(generateClientSecret())).status).toBe(401);
    await server.http().get('/demo/whoami');
    await server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`);
    await server.http().get('/demo/whoami').set('Authorization', `Bearer ${token}`);
    await server.http().post('/demo/reports').set('Authorization', `Bearer ${token}`);

    const lines = await series();
    expect(lines).toEqual(
      expect.arrayContaining([
        'm2m_oauth_requests_total{endpoint="token",outcome="issued"} 2',
        'm2m_oauth_requests_total{endpoint="token",outcome="invalid_client"} 2',
        'm2m_oauth_request_duration_seconds_count{endpoint="token"} 4',
        'm2m_credential_cache_lookups_total{result="hit"} 1',
        'm2m_credential_cache_lookups_total{result="miss"} 3',
        'm2m_rate_limited_total{limit="client_failures"} 1',
        'm2m_token_cache_lookups_total{result="miss"} 1',
        'm2m_token_cache_lookups_total{result="hit"} 2',
        'm2m_guard_rejections_total{reason="missing"} 1',
        'm2m_guard_rejections_total{reason="insufficient_scope"} 1',
        'm2m_secret_verification_queue_depth 0',
      ]),
    );
    expect(lines.some((line) => line.startsWith('process_resident_memory_bytes '))).toBe(true);
    const text = lines.join('\n');
    for (const secret of [client.clientSecret, wrong, token, token.split('.')[2]!]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain(client.clientId);
  });
});

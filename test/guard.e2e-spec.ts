import {
  Controller,
  Get,
  Injectable,
  Module,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { exportJWK, importJWK, SignJWT, type CryptoKey } from 'jose';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import {
  ClientsService,
  M2mClient,
  RequireScopes,
  SigningKeysService,
  type M2mPrincipal,
} from 'nestjs-m2m';
import { startHostApp, type HostApp } from './support/host-app.js';
import { createClient, getToken, startServer, type TestServer } from './support/server.js';
import { withSecret } from './support/server.js';
import { signToken, unsecuredToken, validClaims } from './support/tokens.js';

const NO_TOKEN = {
  type: 'about:blank',
  title: 'Unauthorized',
  status: 401,
  detail: 'A bearer access token is required.',
};
const INVALID_TOKEN = {
  type: 'about:blank',
  title: 'Unauthorized',
  status: 401,
  detail: 'The access token is invalid or has expired.',
  error: 'invalid_token',
};
const MALFORMED = {
  type: 'about:blank',
  title: 'Bad Request',
  status: 400,
  detail: 'The Authorization header is malformed.',
  error: 'invalid_request',
};
const CHALLENGE_NO_TOKEN = 'Bearer realm="m2m"';
const CHALLENGE_INVALID_TOKEN =
  'Bearer realm="m2m", error="invalid_token", error_description="The access token is invalid or has expired."';
const CHALLENGE_MALFORMED =
  'Bearer realm="m2m", error="invalid_request", error_description="The Authorization header is malformed."';

describe('guard and scopes (RFC 6750)', () => {
  let server: TestServer;
  let reader: { clientId: string; clientSecret: string };
  let token: string;

  beforeAll(async () => {
    server = await startServer();
    reader = await createClient(server, ['reports:read']);
    token = await getToken(server, reader);
  });

  afterAll(async () => {
    await server.close();
    await server.database.drop();
  });

  const get = (authorization?: string, path = '/demo/reports') => {
    const req = server.http().get(path);
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  function expectNoToken(response: request.Response): void {
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE_NO_TOKEN);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.body).toEqual(NO_TOKEN);
  }

  function expectInvalidToken(response: request.Response): void {
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE_INVALID_TOKEN);
    expect(response.body).toEqual(INVALID_TOKEN);
  }

  describe('a valid token', () => {
    it('reaches the handler, which gets the principal', async () => {
      const response = await get(`Bearer ${token}`, '/demo/whoami');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ client_id: reader.clientId, scopes: ['reports:read'] });
    });

    it.each(['bearer', 'BEARER', 'BeArEr'])(
      'is accepted with the scheme spelled %s',
      async (scheme) => {
        const response = await get(`${scheme} ${token}`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          data: [{ id: 'r-2026-11', title: 'November usage', status: 'final' }],
          requested_by: reader.clientId,
        });
      },
    );

    it('is accepted with typ application/at+jwt (RFC 9068 §2.1)', async () => {
      const custom = await signToken(server, validClaims(server, reader.clientId), {
        typ: 'application/at+jwt',
      });
      expect((await get(`Bearer ${custom}`)).status).toBe(200);
    });
  });

  it('an unguarded route beside the guarded ones needs no token, and ignores a bad one', async () => {
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      const request = server.http().get('/demo/public');
      const response = await (authorization === undefined
        ? request
        : request.set('Authorization', authorization));
      expect([response.status, response.body, response.headers['www-authenticate']]).toEqual([
        200,
        { status: 'ok' },
        undefined,
      ]);
    }
  });

  describe('no token: 401 with a bare challenge', () => {
    it('when there is no Authorization header', async () => {
      expectNoToken(await get());
    });

    it('when the token is in the query string (ignored)', async () => {
      expectNoToken(await server.http().get(`/demo/reports?access_token=${token}`));
    });

    it('when the token is in a form body (ignored)', async () => {
      expectNoToken(
        await server.http().post('/demo/reports').type('form').send({ access_token: token }),
      );
    });

    it('when another scheme is used (Basic)', async () => {
      expectNoToken(await get(`Basic ${Buffer.from('a:b').toString('base64')}`));
    });
  });

  describe('malformed Authorization header: 400 invalid_request', () => {
    it.each([
      ['Bearer with no token', 'Bearer'],
      ['Bearer with extra parts', `Bearer ${token} extra`],
      ['characters outside b64token', 'Bearer abc!def'],
      ['a comma', 'Bearer abc,def'],
      ['padding in the middle', 'Bearer ab=cd'],
    ])('%s', async (_name, header) => {
      const response = await get(header);
      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toBe(CHALLENGE_MALFORMED);
      expect(response.body).toEqual(MALFORMED);
    });
  });

  describe('invalid token: 401 invalid_token', () => {
    it('the issued token with base64 padding appended: a different string, not the token', async () => {
      for (const padded of [`${token}=`, `${token}==`]) {
        expectInvalidToken(await get(`Bearer ${padded}`));
      }
      expect((await get(`Bearer ${token}`)).status).toBe(200);
    });

    it('garbage', async () => {
      expectInvalidToken(await get('Bearer abc.def.ghi'));
    });

    it('tampered payload (scope widened)', async () => {
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      claims['scope'] = 'reports:read reports:write';
      const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      expectInvalidToken(
        await server.http().post('/demo/reports').set('Authorization', `Bearer ${forged}`),
      );
    });

    it('expired (beyond the 5 s leeway)', async () => {
      const claims = validClaims(server, reader.clientId);
      const expired = await signToken(server, {
        ...claims,
        iat: claims.iat! - 600,
        exp: claims.iat! - 10,
      });
      expectInvalidToken(await get(`Bearer ${expired}`));
    });

    it('accepted within the leeway', async () => {
      const claims = validClaims(server, reader.clientId);
      const justExpired = await signToken(server, { ...claims, exp: claims.iat! - 1 });
      expect((await get(`Bearer ${justExpired}`)).status).toBe(200);
    });

    it('not yet valid (nbf in the future)', async () => {
      const claims = validClaims(server, reader.clientId);
      expectInvalidToken(
        await get(`Bearer ${await signToken(server, { ...claims, nbf: claims.iat! + 120 })}`),
      );
    });

    it('audience pinning: another aud', async () => {
      const claims = { ...validClaims(server, reader.clientId), aud: 'https://other.example' };
      expectInvalidToken(await get(`Bearer ${await signToken(server, claims)}`));
    });

    it('issuer pinning: another iss', async () => {
      const claims = { ...validClaims(server, reader.clientId), iss: 'https://evil.example' };
      expectInvalidToken(await get(`Bearer ${await signToken(server, claims)}`));
    });

    it.each([['JWT'], ['id_token+jwt'], [undefined]])('typ pinning: typ %s', async (typ) => {
      const custom = await signToken(server, validClaims(server, reader.clientId), { typ });
      expectInvalidToken(await get(`Bearer ${custom}`));
    });

    it('alg pinning: alg none', async () => {
      const kid = server.app.get(SigningKeysService).activeKey().kid;
      expectInvalidToken(
        await get(`Bearer ${unsecuredToken(validClaims(server, reader.clientId), { kid })}`),
      );
    });

    it('alg pinning: HS256 keyed with the public JWK (algorithm confusion)', async () => {
      const [jwk] = server.app.get(SigningKeysService).jwks().keys;
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const signingInput = `${part({ alg: 'HS256', typ: 'at+jwt', kid: jwk!.kid })}.${part(validClaims(server, reader.clientId))}`;
      const mac = createHmac('sha256', JSON.stringify(jwk))
        .update(signingInput)
        .digest('base64url');
      expectInvalidToken(await get(`Bearer ${signingInput}.${mac}`));
    });

    it('alg pinning: the header alg must be the key’s own (RS256 on an EC kid)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rsa = (await importJWK(await exportJWK(privateKey), 'RS256')) as CryptoKey;
      const custom = await signToken(
        server,
        validClaims(server, reader.clientId),
        { alg: 'RS256' },
        rsa,
      );
      expectInvalidToken(await get(`Bearer ${custom}`));
    });

    it('signed by a foreign key that claims our kid', async () => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const foreign = (await importJWK(await exportJWK(privateKey), 'ES256')) as CryptoKey;
      expectInvalidToken(
        await get(
          `Bearer ${await signToken(server, validClaims(server, reader.clientId), {}, foreign)}`,
        ),
      );
    });

    it('unknown kid', async () => {
      expectInvalidToken(
        await get(
          `Bearer ${await signToken(server, validClaims(server, reader.clientId), { kid: 'nope' })}`,
        ),
      );
    });

    it.each(['jti', 'client_id', 'exp', 'sub'])('missing the required %s claim', async (claim) => {
      const claims: Record<string, unknown> = { ...validClaims(server, reader.clientId) };
      delete claims[claim];
      expectInvalidToken(await get(`Bearer ${await signToken(server, claims)}`));
    });

    it('sub different from client_id', async () => {
      const claims = { ...validClaims(server, reader.clientId), sub: 'someone-else' };
      expectInvalidToken(await get(`Bearer ${await signToken(server, claims)}`));
    });

    it('a non-string scope claim', async () => {
      const claims = { ...validClaims(server, reader.clientId), scope: ['reports:read'] };
      expectInvalidToken(await get(`Bearer ${await signToken(server, claims)}`));
    });
  });

  describe('scopes: 403 insufficient_scope', () => {
    it('names the missing scope in the challenge', async () => {
      const response = await server
        .http()
        .post('/demo/reports')
        .set('Authorization', `Bearer ${token}`)
        .send({});
      expect(response.status).toBe(403);
      expect(response.headers['www-authenticate']).toBe(
        'Bearer realm="m2m", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="reports:write"',
      );
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'The access token does not carry the required scope.',
        error: 'insufficient_scope',
      });
    });

    it('lets a token with the scope through', async () => {
      const writer = await createClient(server, ['reports:read', 'reports:write']);
      const writeToken = await getToken(server, writer, 'reports:write');
      const response = await server
        .http()
        .post('/demo/reports')
        .set('Authorization', `Bearer ${writeToken}`)
        .send({ title: 'Q4' });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        status: 'queued',
        requested_by: writer.clientId,
        title: 'Q4',
      });
    });

    it('goes by the token’s scopes, not the client’s (down-scoped token)', async () => {
      const writer = await createClient(server, ['reports:read', 'reports:write']);
      const readOnly = await getToken(server, writer, 'reports:read');
      const response = await server
        .http()
        .post('/demo/reports')
        .set('Authorization', `Bearer ${readOnly}`)
        .send({});
      expect(response.status).toBe(403);
    });
  });
});

@Controller('host')
@RequireScopes('orders:read')
class HostController {
  @Get('orders')
  orders(@M2mClient('clientId') clientId: string): { client: string } {
    return { client: clientId };
  }

  @Get('orders/export')
  @RequireScopes('orders:export')
  exportOrders(@M2mClient() client: M2mPrincipal): { scopes: string[]; metadata: unknown } {
    return { scopes: client.scopes, metadata: client.metadata };
  }
}

@Module({ controllers: [HostController] })
class HostFeatureModule {}

describe('the module in a host application', () => {
  let host: HostApp;
  let app: INestApplication;
  let clients: ClientsService;

  beforeAll(async () => {
    host = await startHostApp({ principalMetadata: true, isGlobal: true, admin: false }, [
      HostFeatureModule,
    ]);
    app = host.app;
    clients = app.get(ClientsService);
  });

  afterAll(() => host.close());

  async function tokenFor(
    scopes: string[],
    metadata: Record<string, string> | null = null,
  ): Promise<string> {
    const client = withSecret(await clients.create({ clientName: 'host', scopes, metadata }));
    const response = await request(app.getHttpServer()).post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expect(response.status).toBe(200);
    return (response.body as { access_token: string }).access_token;
  }

  it('requires the controller’s scope on every handler', async () => {
    const none = await tokenFor(['other']);
    const response = await request(app.getHttpServer())
      .get('/host/orders')
      .set('Authorization', `Bearer ${none}`);
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toContain('scope="orders:read"');
  });

  it('requires the controller’s and the handler’s scopes together', async () => {
    const onlyExport = await tokenFor(['orders:export']);
    const denied = await request(app.getHttpServer())
      .get('/host/orders/export')
      .set('Authorization', `Bearer ${onlyExport}`);
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toContain('scope="orders:export orders:read"');

    const both = await tokenFor(['orders:read', 'orders:export'], { tenant: 'acme' });
    const allowed = await request(app.getHttpServer())
      .get('/host/orders/export')
      .set('Authorization', `Bearer ${both}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({
      scopes: ['orders:read', 'orders:export'],
      metadata: { tenant: 'acme' },
    });
  });

  it('injects a single principal field with @M2mClient(field)', async () => {
    const client = withSecret(
      await clients.create({ clientName: 'field', scopes: ['orders:read'] }),
    );
    const response = await request(app.getHttpServer())
      .post('/oauth2/token')
      .auth(client.clientId, client.clientSecret)
      .type('form')
      .send({ grant_type: 'client_credentials' });
    const orders = await request(app.getHttpServer())
      .get('/host/orders')
      .set('Authorization', `Bearer ${(response.body as { access_token: string }).access_token}`);
    expect(orders.status).toBe(200);
    expect(orders.body).toEqual({ client: client.clientId });
  });

  it('does not mount the admin API with admin: false', async () => {
    const token = await tokenFor(['m2m:admin']);
    const response = await request(app.getHttpServer())
      .get('/m2m/clients')
      .set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(404);
  });

  it('uses the configured issuer in tokens and metadata', async () => {
    const metadata = await request(app.getHttpServer()).get(
      '/.well-known/oauth-authorization-server',
    );
    expect(metadata.body.issuer).toBe('https://auth.example.test');
    expect(metadata.body.token_endpoint).toBe('https://auth.example.test/oauth2/token');
    expect(metadata.body.scopes_supported).toEqual([
      'm2m:introspect',
      'orders:export',
      'orders:read',
    ]);
  });
});

// Keep the HMAC helper honest: the confusion test above must build a *valid* HS256 JWT shape.
describe('test helpers', () => {
  it('builds HS256 tokens that jose itself would accept with that secret', async () => {
    const secret = new TextEncoder().encode('k');
    const jwt = await new SignJWT({ a: 1 }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const [h, p, s] = jwt.split('.');
    expect(createHmac('sha256', 'k').update(`${h}.${p}`).digest('base64url')).toBe(s);
  });
});

@Injectable()
class ApiKeyAdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string> }>();
    return request.headers['x-admin-key'] === 'let-me-in';
  }
}

describe('a host-supplied admin guard', () => {
  let host: HostApp;
  let app: INestApplication;

  beforeAll(async () => {
    host = await startHostApp({ adminGuard: ApiKeyAdminGuard });
    app = host.app;
  });

  afterAll(() => host.close());

  it('replaces the m2m:admin token check', async () => {
    const allowed = await request(app.getHttpServer())
      .get('/m2m/clients')
      .set('x-admin-key', 'let-me-in');
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ data: [], next_cursor: null });
  });

  it('denies with a 403 problem when the host guard says no', async () => {
    const denied = await request(app.getHttpServer()).get('/m2m/clients');
    expect(denied.status).toBe(403);
    expect(denied.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(denied.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Forbidden resource',
    });
  });
});

import { Controller, Get, Module } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Ajv, type ValidateFunction } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { randomBytes } from 'node:crypto';
import request, { type Response } from 'supertest';
import { M2M_SECURITY_SCHEME, RequireScopes, TokenService, m2mSecuritySchemeOf } from 'nestjs-m2m';
import { startHostApp, TenantGuard, type HostApp } from './support/host-app.js';
import {
  basic,
  createClient,
  getToken,
  startServer,
  type SecretClient,
  type TestServer,
} from './support/server.js';

// The OpenAPI document at /docs-json must say what the server does: every answer below, from
// the real example server (Express or Fastify, SQLite or PostgreSQL), is checked against the
// status, media type, schema, headers and examples the document declares for its operation.

interface HeaderDoc {
  required?: boolean;
  schema?: object;
}

interface MediaDoc {
  schema: object;
  examples?: Record<string, { summary: string; value: unknown }>;
}

interface ResponseDoc {
  description: string;
  content?: Record<string, MediaDoc>;
  headers?: Record<string, HeaderDoc>;
}

interface OperationDoc {
  responses: Record<string, ResponseDoc>;
  security?: Record<string, string[]>[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OperationDoc>>;
  components: {
    schemas: Record<string, { properties?: Record<string, object> }>;
    securitySchemes: Record<string, unknown>;
  };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const COMPONENTS = 'https://m2m.test/openapi/components';

/** Error bodies the module sends, and the components that describe them. */
const ERROR_SCHEMAS: Record<string, string> = {
  'application/json': 'OAuthErrorDto',
  'application/problem+json': 'ProblemDetailsDto',
};

/** Headers whose presence the document must announce wherever they are sent. */
const ANNOUNCED_HEADERS = ['www-authenticate', 'retry-after', 'location'];

/**
 * Headers the document must announce on successful answers, which carry tokens and secrets. On
 * errors they are incidental: a route's `@Header()` also applies to its errors after the guards.
 */
const ANNOUNCED_ON_SUCCESS = ['cache-control', 'pragma'];

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a union with null, component
 * references point at the registered components, and every object that lists its properties
 * gets `additionalProperties: false`, so that an undocumented member fails the check.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([name, schema]) => [
              name,
              toJsonSchema(schema),
            ]),
          )
        : toJsonSchema(value);
  }
  if (typeof out['$ref'] === 'string') {
    out['$ref'] = out['$ref'].replace('#/components/schemas/', `${COMPONENTS}#/definitions/`);
  }
  if (out['properties'] !== undefined && out['additionalProperties'] === undefined) {
    out['additionalProperties'] = false;
  }
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

function headerValue(response: Response, name: string): string | undefined {
  const value = (response.headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Checks real answers against one OpenAPI document. */
class OpenApiChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly compiled = new Map<object, ValidateFunction>();
  /** `METHOD path` of every operation an answer was checked for, with its statuses. */
  readonly checked = new Map<string, Set<number>>();

  constructor(readonly document: OpenApiDocument) {
    for (const name of ['date-time', 'uri'] as const) this.ajv.addFormat(name, fullFormats[name]);
    this.ajv.addSchema({
      $id: COMPONENTS,
      definitions: toJsonSchema(document.components.schemas),
    });
  }

  /** The ajv errors of `value` against an OpenAPI schema; none when it conforms. */
  errorsOf(schema: object, value: unknown): unknown[] {
    let validate = this.compiled.get(schema);
    if (validate === undefined) {
      validate = this.ajv.compile(toJsonSchema(schema) as object);
      this.compiled.set(schema, validate);
    }
    return validate(value) ? [] : [...(validate.errors ?? [])];
  }

  operation(method: Method, path: string): OperationDoc {
    const operation = this.document.paths[path]?.[method];
    if (operation === undefined)
      throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return operation;
  }

  /**
   * Asserts the status, then that the document declares it for the operation, with the answer's
   * media type, a schema the body conforms to, the headers that were sent (and those it says are
   * always sent), and for errors an example of that very body.
   */
  conforms(response: Response, method: Method, path: string, status: number): void {
    expect({ status: response.status, body: response.text }).toMatchObject({ status });
    const label = `${method.toUpperCase()} ${path}`;
    const declared = this.operation(method, path).responses[String(status)];
    expect({ [label]: Object.keys(this.operation(method, path).responses) }).toEqual({
      [label]: expect.arrayContaining([String(status)]),
    });
    this.checked.set(label, new Set([...(this.checked.get(label) ?? []), status]));

    if (response.text === '') {
      expect(declared!.content).toBeUndefined();
    } else {
      const mediaType = (headerValue(response, 'content-type') ?? '').split(';')[0]!.trim();
      expect(Object.keys(declared!.content ?? {})).toContain(mediaType);
      const media = declared!.content![mediaType]!;
      const body = JSON.parse(response.text) as unknown;
      expect(this.errorsOf(media.schema, body)).toEqual([]);
      if (status >= 400) this.expectExample(media, mediaType, body);
    }

    const headers = declared!.headers ?? {};
    const documented = new Map(Object.entries(headers).map(([name, h]) => [name.toLowerCase(), h]));
    for (const [name, header] of documented) {
      const value = headerValue(response, name);
      if (header.required === true)
        expect({ [name]: value }).toEqual({ [name]: expect.any(String) });
      if (value !== undefined && header.schema !== undefined) {
        expect({ [name]: this.errorsOf(header.schema, value) }).toEqual({ [name]: [] });
      }
    }
    for (const name of status < 400
      ? [...ANNOUNCED_HEADERS, ...ANNOUNCED_ON_SUCCESS]
      : ANNOUNCED_HEADERS) {
      if (headerValue(response, name) !== undefined) {
        expect({ [label]: [...documented.keys()] }).toEqual({
          [label]: expect.arrayContaining([name]),
        });
      }
    }
  }

  /**
   * An error answer has its own example: OAuth errors (fixed descriptions) exactly, problems by
   * everything but the request-specific `detail` and `errors`.
   */
  private expectExample(media: MediaDoc, mediaType: string, body: unknown): void {
    const examples = Object.values(media.examples ?? {}).map((example) => example.value);
    if (mediaType === 'application/json') {
      expect(examples).toContainEqual(body);
      return;
    }
    const gist = (value: unknown) => {
      const { type, title, status, error } = value as Record<string, unknown>;
      return { type, title, status, error };
    };
    expect(examples.map(gist)).toContainEqual(gist(body));
  }
}

async function documentOf(server: TestServer): Promise<OpenApiDocument> {
  const response = await server.http().get('/docs-json');
  expect(response.status).toBe(200);
  return response.body as OpenApiDocument;
}

/** A database failure as the pg driver reports a refused connection. */
function databaseDown(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

const INITIAL_ACCESS_TOKEN = randomBytes(32).toString('base64url');

describe('OpenAPI document of the example server', () => {
  let server: TestServer;
  let doc: OpenApiDocument;
  let checker: OpenApiChecker;
  let admin: SecretClient;
  let reader: SecretClient;
  let plain: SecretClient;
  let adminToken: string;
  let readerToken: string;

  beforeAll(async () => {
    server = await startServer({
      m2m: {
        dynamicRegistration: {
          initialAccessTokens: [INITIAL_ACCESS_TOKEN],
          scopes: ['reports:read'],
        },
        // Failure budgets out of reach; a quota that one test spends on a client of its own.
        rateLimit: {
          failuresPerIp: 10_000,
          failuresPerClient: 10_000,
          issuanceQuota: { limit: 3, windowSeconds: 3600 },
        },
      },
    });
    doc = await documentOf(server);
    checker = new OpenApiChecker(doc);
    admin = await createClient(server, ['m2m:admin'], 'admin');
    reader = await createClient(server, ['reports:read', 'm2m:introspect'], 'reader');
    plain = await createClient(server, ['reports:read'], 'plain');
    adminToken = await getToken(server, admin);
    readerToken = await getToken(server, reader);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await server.close();
    await server.database.drop();
  });

  const token = () => server.http().post('/oauth2/token');
  const asAdmin = (method: Method, path: string) =>
    server.http()[method](path).set('Authorization', `Bearer ${adminToken}`);

  describe('the document', () => {
    it('lists every scope of the server metadata, each with a description', async () => {
      const metadata = (await server.http().get('/.well-known/oauth-authorization-server'))
        .body as { scopes_supported: string[] };
      expect(metadata.scopes_supported).toEqual([
        'm2m:admin',
        'm2m:introspect',
        'reports:read',
        'reports:write',
      ]);
      expect(doc.components.securitySchemes[M2M_SECURITY_SCHEME]).toEqual({
        type: 'oauth2',
        description: 'M2M access token from the client credentials grant.',
        flows: {
          clientCredentials: {
            tokenUrl: `${server.url}/oauth2/token`,
            scopes: {
              'm2m:admin': 'The admin API: clients, signing keys, audit events and revocations.',
              'm2m:introspect': 'Token introspection (RFC 7662).',
              'reports:read': 'Required by GET /demo/reports.',
              'reports:write': 'Required by POST /demo/reports.',
            },
          },
        },
      });
    });

    it('every scope an operation requires is a scope of the security scheme', () => {
      const required = Object.values(doc.paths)
        .flatMap((operations) => Object.values(operations))
        .flatMap((operation) => operation.security ?? [])
        .flatMap((requirement) => requirement[M2M_SECURITY_SCHEME] ?? []);
      expect(new Set(required)).toEqual(new Set(['m2m:admin', 'reports:read', 'reports:write']));
    });

    it('every error answer is an OAuth error or problem details, with its own valid examples', () => {
      const errorResponses = Object.entries(doc.paths)
        // The health routes belong to the example app and answer in Terminus' format.
        .filter(([path]) => !path.startsWith('/health'))
        .flatMap(([path, operations]) =>
          Object.entries(operations).map(([method, operation]) => ({ path, method, operation })),
        );
      let checkedExamples = 0;
      for (const { path, method, operation } of errorResponses) {
        const seen = new Map<string, string>();
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          const where = `${method.toUpperCase()} ${path} ${status}`;
          const media = Object.entries(response.content ?? {});
          expect({ [where]: media.length > 0 }).toEqual({ [where]: true });
          for (const [mediaType, content] of media) {
            expect({ [where]: content.schema }).toEqual({
              [where]: { $ref: `#/components/schemas/${ERROR_SCHEMAS[mediaType] ?? mediaType}` },
            });
            const examples = Object.values(content.examples ?? {});
            expect({ [where]: examples.length > 0 }).toEqual({ [where]: true });
            for (const { value } of examples) {
              expect({ [where]: checker.errorsOf(content.schema, value) }).toEqual({ [where]: [] });
              if (mediaType === 'application/problem+json') {
                expect({ [where]: (value as { status: number }).status }).toEqual({
                  [where]: Number(status),
                });
              }
              // No status of an operation borrows the example of another.
              const key = JSON.stringify(value);
              expect({ [where]: seen.get(key) ?? status }).toEqual({ [where]: status });
              seen.set(key, status);
              checkedExamples++;
            }
          }
          if (Number(status) === 401 && response.content?.['application/problem+json']) {
            expect({ [where]: response.headers?.['WWW-Authenticate']?.required }).toEqual({
              [where]: true,
            });
          }
        }
      }
      expect(checkedExamples).toBeGreaterThan(100);
    });

    it('problem details list the invalid members as objects with a pointer and a detail', () => {
      expect(doc.components.schemas['ProblemDetailsDto']!.properties!['errors']).toEqual({
        description: 'Invalid request members (validation errors only).',
        type: 'array',
        items: { $ref: '#/components/schemas/ProblemFieldErrorDto' },
      });
      expect(doc.components.schemas['ProblemFieldErrorDto']).toMatchObject({
        required: ['pointer', 'detail'],
      });
    });

    it('the 401 and 403 of a route show different bodies', () => {
      const responses = checker.operation('get', '/m2m/clients').responses;
      const examplesOf = (status: string) =>
        Object.values(responses[status]!.content!['application/problem+json']!.examples!).map(
          (example) => example.value,
        );
      expect(examplesOf('401')).toEqual([
        {
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'A bearer access token is required.',
        },
        {
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'The access token is invalid or has expired.',
          error: 'invalid_token',
        },
      ]);
      expect(examplesOf('403')).toEqual([
        {
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
          detail: 'The access token does not carry the required scope.',
          error: 'insufficient_scope',
        },
      ]);
      expect(examplesOf('400').map((example) => (example as { type: string }).type)).toEqual([
        'urn:m2m:problem:validation-error',
        'about:blank',
      ]);
    });
  });

  describe('token endpoint', () => {
    const check = (response: Response, status: number) =>
      checker.conforms(response, 'post', '/oauth2/token', status);

    it('200 with client_secret_basic and with client_secret_post', async () => {
      check(
        await token()
          .set('Authorization', basic(plain.clientId, plain.clientSecret))
          .type('form')
          .send({ grant_type: 'client_credentials' }),
        200,
      );
      const post = await token().type('form').send({
        grant_type: 'client_credentials',
        client_id: reader.clientId,
        client_secret: reader.clientSecret,
        scope: 'reports:read',
      });
      check(post, 200);
      expect((post.body as { scope: string }).scope).toBe('reports:read');
    });

    it.each([
      ['no grant_type', {}],
      ['another grant type', { grant_type: 'password' }],
      [
        'a scope the client is not allowed',
        { grant_type: 'client_credentials', scope: 'm2m:admin' },
      ],
      [
        'an unknown resource',
        { grant_type: 'client_credentials', resource: 'https://unknown.example.com' },
      ],
    ])('400 for %s', async (_case, body) => {
      check(
        await token()
          .set('Authorization', basic(plain.clientId, plain.clientSecret))
          .type('form')
          .send(body),
        400,
      );
    });

    it('400 for a body that is not JSON', async () => {
      check(await token().type('json').send('{"grant_type":'), 400);
    });

    it('401 invalid_client, with a Basic challenge only after Basic', async () => {
      const withBasic = await token()
        .set('Authorization', basic(plain.clientId, 'wrong'))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      check(withBasic, 401);
      expect(withBasic.headers['www-authenticate']).toBe('Basic realm="m2m", charset="UTF-8"');
      const withPost = await token()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: plain.clientId, client_secret: 'x' });
      check(withPost, 401);
      expect(withPost.headers['www-authenticate']).toBeUndefined();
    });

    it('413 for a body over the limit', async () => {
      check(
        await token()
          .type('form')
          .send(`grant_type=client_credentials&pad=${'a'.repeat(17 * 1024)}`),
        413,
      );
    });

    it('429 with Retry-After once the issuance quota is spent', async () => {
      const quota = await createClient(server, ['reports:read'], 'quota');
      const ask = () =>
        token()
          .set('Authorization', basic(quota.clientId, quota.clientSecret))
          .type('form')
          .send({ grant_type: 'client_credentials' });
      for (let i = 0; i < 3; i++) check(await ask(), 200);
      const refused = await ask();
      check(refused, 429);
      expect(refused.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'Too many requests; retry later.',
      });
    });

    it('503 with Retry-After while the database cannot be reached', async () => {
      jest.spyOn(server.app.get(TokenService), 'exchange').mockRejectedValueOnce(databaseDown());
      const response = await token()
        .set('Authorization', basic(plain.clientId, plain.clientSecret))
        .type('form')
        .send({ grant_type: 'client_credentials' });
      check(response, 503);
      expect(response.headers['retry-after']).toBe('5');
    });
  });

  describe('introspection and revocation', () => {
    const introspect = () =>
      server
        .http()
        .post('/oauth2/introspect')
        .set('Authorization', basic(reader.clientId, reader.clientSecret))
        .type('form');
    const revoke = (client: SecretClient = reader) =>
      server
        .http()
        .post('/oauth2/revoke')
        .set('Authorization', basic(client.clientId, client.clientSecret))
        .type('form');

    it('introspection: 200 active and inactive, 400, 401, 403', async () => {
      const active = await introspect().send({ token: readerToken });
      checker.conforms(active, 'post', '/oauth2/introspect', 200);
      expect(active.body).toMatchObject({ active: true, client_id: reader.clientId });
      const inactive = await introspect().send({ token: 'not-a-token' });
      checker.conforms(inactive, 'post', '/oauth2/introspect', 200);
      expect(inactive.body).toEqual({ active: false });
      checker.conforms(await introspect().send({}), 'post', '/oauth2/introspect', 400);
      checker.conforms(
        await server
          .http()
          .post('/oauth2/introspect')
          .set('Authorization', basic(reader.clientId, 'wrong'))
          .type('form')
          .send({ token: readerToken }),
        'post',
        '/oauth2/introspect',
        401,
      );
      checker.conforms(
        await server
          .http()
          .post('/oauth2/introspect')
          .set('Authorization', basic(plain.clientId, plain.clientSecret))
          .type('form')
          .send({ token: readerToken }),
        'post',
        '/oauth2/introspect',
        403,
      );
    });

    it('revocation: 200 with an empty body, 400 for another client’s token or none, 401', async () => {
      const own = await getToken(server, reader);
      const revoked = await revoke().send({ token: own });
      checker.conforms(revoked, 'post', '/oauth2/revoke', 200);
      expect(revoked.text).toBe('');
      const foreign = await revoke().send({ token: await getToken(server, plain) });
      checker.conforms(foreign, 'post', '/oauth2/revoke', 400);
      expect(foreign.body).toEqual({
        error: 'invalid_request',
        error_description: 'The token was not issued to this client.',
      });
      checker.conforms(await revoke().send({}), 'post', '/oauth2/revoke', 400);
      checker.conforms(
        await server
          .http()
          .post('/oauth2/revoke')
          .type('form')
          .send({ token: own, client_id: reader.clientId, client_secret: 'wrong' }),
        'post',
        '/oauth2/revoke',
        401,
      );
    });
  });

  describe('discovery', () => {
    it('server metadata and JWKS', async () => {
      checker.conforms(
        await server.http().get('/.well-known/oauth-authorization-server'),
        'get',
        '/.well-known/oauth-authorization-server',
        200,
      );
      const jwks = await server.http().get('/.well-known/jwks.json');
      checker.conforms(jwks, 'get', '/.well-known/jwks.json', 200);
      expect((jwks.body as { keys: object[] }).keys.length).toBeGreaterThan(0);
    });
  });

  describe('admin API', () => {
    const createBody = { client_name: 'documented', scopes: ['reports:read'] };

    it('clients: create, list, get, update, delete and their errors', async () => {
      const created = await asAdmin('post', '/m2m/clients').send(createBody);
      checker.conforms(created, 'post', '/m2m/clients', 201);
      const id = (created.body as { client_id: string }).client_id;
      expect(created.headers['location']).toBe(`/m2m/clients/${id}`);
      const one = `/m2m/clients/${id}`;

      checker.conforms(
        await asAdmin('post', '/m2m/clients').send({ client_name: 5, scopes: [] }),
        'post',
        '/m2m/clients',
        400,
      );
      checker.conforms(
        await asAdmin('post', '/m2m/clients').type('json').send('{"client_name":'),
        'post',
        '/m2m/clients',
        400,
      );
      checker.conforms(
        await asAdmin('post', '/m2m/clients').send({ ...createBody, pad: 'a'.repeat(17 * 1024) }),
        'post',
        '/m2m/clients',
        413,
      );
      checker.conforms(await asAdmin('get', '/m2m/clients'), 'get', '/m2m/clients', 200);
      checker.conforms(await asAdmin('get', '/m2m/clients?limit=abc'), 'get', '/m2m/clients', 400);
      checker.conforms(await asAdmin('get', one), 'get', '/m2m/clients/{client_id}', 200);
      checker.conforms(
        await asAdmin('get', '/m2m/clients/m2mc_unknown'),
        'get',
        '/m2m/clients/{client_id}',
        404,
      );
      checker.conforms(
        await asAdmin('patch', one).send({ description: 'documented client', metadata: { a: 1 } }),
        'patch',
        '/m2m/clients/{client_id}',
        200,
      );
      checker.conforms(
        await asAdmin('patch', one).send({ status: 'paused' }),
        'patch',
        '/m2m/clients/{client_id}',
        400,
      );
      checker.conforms(
        await asAdmin('patch', '/m2m/clients/m2mc_unknown').send({ client_name: 'x' }),
        'patch',
        '/m2m/clients/{client_id}',
        404,
      );
      checker.conforms(await asAdmin('delete', one), 'delete', '/m2m/clients/{client_id}', 204);
      checker.conforms(await asAdmin('delete', one), 'delete', '/m2m/clients/{client_id}', 404);
    });

    it('secret rotation: start, complete, cancel and their conflicts', async () => {
      const id = (await server.clients.create({ clientName: 'rotating', scopes: [] })).clientId;
      const rotation = `/m2m/clients/${id}/secrets/rotation`;
      const template = '/m2m/clients/{client_id}/secrets/rotation';
      const started = await asAdmin('post', rotation).send({ grace_seconds: 60 });
      checker.conforms(started, 'post', template, 201);
      expect(started.headers['cache-control']).toBe('no-store');
      checker.conforms(await asAdmin('post', rotation).send({}), 'post', template, 409);
      checker.conforms(
        await asAdmin('post', rotation).send({ grace_seconds: -1 }),
        'post',
        template,
        400,
      );
      checker.conforms(
        await asAdmin('post', `${rotation}/complete`),
        'post',
        `${template}/complete`,
        200,
      );
      checker.conforms(
        await asAdmin('post', `${rotation}/complete`),
        'post',
        `${template}/complete`,
        409,
      );
      checker.conforms(
        await asAdmin('post', `${rotation}/cancel`),
        'post',
        `${template}/cancel`,
        409,
      );
      await asAdmin('post', rotation).send({});
      checker.conforms(
        await asAdmin('post', `${rotation}/cancel`),
        'post',
        `${template}/cancel`,
        200,
      );
      checker.conforms(
        await asAdmin('post', '/m2m/clients/m2mc_unknown/secrets/rotation').send({}),
        'post',
        template,
        404,
      );
      await asAdmin('patch', `/m2m/clients/${id}`).send({ status: 'disabled' });
      const disabled = await asAdmin('post', rotation).send({});
      checker.conforms(disabled, 'post', template, 409);
      expect((disabled.body as { type: string }).type).toBe('urn:m2m:problem:client-disabled');
    });

    it('audit events and revocations', async () => {
      checker.conforms(
        await asAdmin('get', '/m2m/audit-events?limit=5'),
        'get',
        '/m2m/audit-events',
        200,
      );
      checker.conforms(
        await asAdmin('get', '/m2m/audit-events?since=yesterday'),
        'get',
        '/m2m/audit-events',
        400,
      );
      checker.conforms(
        await asAdmin('post', '/m2m/revocations').send({ jti: 'abc_DEF-123' }),
        'post',
        '/m2m/revocations',
        204,
      );
      checker.conforms(
        await asAdmin('post', '/m2m/revocations').send({ jti: 'not a jti' }),
        'post',
        '/m2m/revocations',
        400,
      );
    });

    it('signing keys: list and rotate answer { data: [...] }', async () => {
      const list = await asAdmin('get', '/m2m/signing-keys');
      checker.conforms(list, 'get', '/m2m/signing-keys', 200);
      expect(Object.keys(list.body as object)).toEqual(['data']);
      const rotated = await asAdmin('post', '/m2m/signing-keys/rotate');
      checker.conforms(rotated, 'post', '/m2m/signing-keys/rotate', 200);
      expect(
        (rotated.body as { data: { status: string }[] }).data.map((key) => key.status).sort(),
      ).toEqual(['active', 'next', 'retired']);
    });

    it('400, 401 and 403 from the admin guard, each with its challenge', async () => {
      const none = await server.http().get('/m2m/clients');
      checker.conforms(none, 'get', '/m2m/clients', 401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="m2m"');
      checker.conforms(
        await server.http().get('/m2m/clients').set('Authorization', 'Bearer not.a.token'),
        'get',
        '/m2m/clients',
        401,
      );
      const forbidden = await server
        .http()
        .get('/m2m/signing-keys')
        .set('Authorization', `Bearer ${readerToken}`);
      checker.conforms(forbidden, 'get', '/m2m/signing-keys', 403);
      expect(forbidden.body).toEqual({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: 'The access token does not carry the required scope.',
        error: 'insufficient_scope',
      });
      checker.conforms(
        await server.http().get('/m2m/audit-events').set('Authorization', 'Bearer a b'),
        'get',
        '/m2m/audit-events',
        400,
      );
    });

    it('503 with Retry-After while the database cannot be reached', async () => {
      jest.spyOn(server.clients, 'list').mockRejectedValueOnce(databaseDown());
      const response = await asAdmin('get', '/m2m/clients');
      checker.conforms(response, 'get', '/m2m/clients', 503);
      expect(response.body).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is unavailable; retry later.',
      });
    });
  });

  describe('routes of the host protected by @RequireScopes()', () => {
    it('401 without a valid token and 403 without the scope', async () => {
      checker.conforms(await server.http().get('/demo/reports'), 'get', '/demo/reports', 401);
      checker.conforms(
        await server.http().get('/demo/whoami').set('Authorization', 'Bearer x.y.z'),
        'get',
        '/demo/whoami',
        401,
      );
      const forbidden = await server
        .http()
        .post('/demo/reports')
        .set('Authorization', `Bearer ${adminToken}`)
        .send({});
      checker.conforms(forbidden, 'post', '/demo/reports', 403);
      expect(forbidden.headers['www-authenticate']).toBe(
        'Bearer realm="m2m", error="insufficient_scope", error_description="The access token does not carry the required scope.", scope="reports:write"',
      );
    });

    it('@RequireScopes() without scopes documents no 403: any valid token passes', () => {
      expect(Object.keys(checker.operation('get', '/demo/whoami').responses).sort()).toEqual([
        '200',
        '401',
      ]);
    });
  });

  describe('dynamic client registration', () => {
    const register = () =>
      server.http().post('/oauth2/register').set('Authorization', `Bearer ${INITIAL_ACCESS_TOKEN}`);
    const template = '/oauth2/register/{client_id}';

    it('register, read, update and delete, with the answers of each', async () => {
      const registered = await register().send({ client_name: 'partner', scope: 'reports:read' });
      checker.conforms(registered, 'post', '/oauth2/register', 201);
      const body = registered.body as { client_id: string; registration_access_token: string };
      const uri = `/oauth2/register/${body.client_id}`;
      const auth = `Bearer ${body.registration_access_token}`;

      checker.conforms(
        await server.http().get(uri).set('Authorization', auth),
        'get',
        template,
        200,
      );
      checker.conforms(
        await server.http().put(uri).set('Authorization', auth).send({ client_name: 'renamed' }),
        'put',
        template,
        200,
      );
      checker.conforms(
        await server
          .http()
          .put(uri)
          .set('Authorization', auth)
          .send({ grant_types: ['authorization_code'] }),
        'put',
        template,
        400,
      );
      checker.conforms(
        await server.http().get(uri).set('Authorization', 'Bearer a b'),
        'get',
        template,
        400,
      );
      checker.conforms(await server.http().get(uri), 'get', template, 401);
      checker.conforms(
        await server.http().delete(uri).set('Authorization', auth),
        'delete',
        template,
        204,
      );
      checker.conforms(
        await server.http().delete(uri).set('Authorization', auth),
        'delete',
        template,
        401,
      );
    });

    it('refusals of a registration: bad metadata, malformed or missing or wrong token', async () => {
      const badMetadata = await register().send({ grant_types: ['authorization_code'] });
      checker.conforms(badMetadata, 'post', '/oauth2/register', 400);
      expect(badMetadata.headers['content-type']).toBe('application/json; charset=utf-8');
      const malformed = await server
        .http()
        .post('/oauth2/register')
        .set('Authorization', 'Bearer a b')
        .send({});
      checker.conforms(malformed, 'post', '/oauth2/register', 400);
      expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
      const none = await server.http().post('/oauth2/register').send({});
      checker.conforms(none, 'post', '/oauth2/register', 401);
      expect(none.headers['www-authenticate']).toBe('Bearer realm="m2m"');
      checker.conforms(
        await server.http().post('/oauth2/register').set('Authorization', 'Bearer wrong').send({}),
        'post',
        '/oauth2/register',
        401,
      );
    });
  });

  it('every operation of the module was checked against real answers', () => {
    const moduleOperations = Object.entries(doc.paths)
      .filter(([path]) => /^\/(oauth2|m2m|\.well-known)\//.test(path))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
    expect(moduleOperations.filter((operation) => !checker.checked.has(operation))).toEqual([]);
    expect(checker.checked.size).toBeGreaterThanOrEqual(moduleOperations.length);
  });
});

@Controller('orders')
class OrdersController {
  @Get()
  @RequireScopes('orders:read')
  list(): object[] {
    return [];
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

describe('OpenAPI document of a host with the owner API and registration off', () => {
  let host: HostApp;
  let checker: OpenApiChecker;
  let document: OpenApiDocument;
  const http = () => request(host.app.getHttpServer());
  const as = (tenant: string) => ({
    post: (path: string, body: object = {}) => http().post(path).set('x-tenant', tenant).send(body),
    get: (path: string) => http().get(path).set('x-tenant', tenant),
  });
  const template = '/m2m/owner/clients/{client_id}';

  beforeAll(async () => {
    host = await startHostApp(
      {
        isGlobal: true,
        scopes: ['partner:sync'],
        ownerApi: { guard: TenantGuard, scopes: ['orders:read'] },
      },
      [OrdersModule],
    );
    document = SwaggerModule.createDocument(
      host.app,
      new DocumentBuilder()
        .addOAuth2(
          m2mSecuritySchemeOf(host.app, { 'orders:read': 'Read the orders of your tenant.' }),
          M2M_SECURITY_SCHEME,
        )
        .build(),
    ) as unknown as OpenApiDocument;
    checker = new OpenApiChecker(document);
  });

  afterAll(async () => {
    await host.close();
  });

  it('the security scheme: described scopes, configured scopes and the module’s own', () => {
    expect(document.components.securitySchemes[M2M_SECURITY_SCHEME]).toEqual({
      type: 'oauth2',
      description: 'M2M access token from the client credentials grant.',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://auth.example.test/oauth2/token',
          scopes: {
            'm2m:admin': 'The admin API: clients, signing keys, audit events and revocations.',
            'm2m:introspect': 'Token introspection (RFC 7662).',
            'orders:read': 'Read the orders of your tenant.',
            'partner:sync': 'Configured in the module options (`scopes`).',
          },
        },
      },
    });
  });

  it('owner API: create, list, get, rotate, policy, audit events, and the owner guard’s refusals', async () => {
    const created = await as('org_acme').post('/m2m/owner/clients', {
      client_name: 'acme-sync',
      scopes: ['orders:read'],
    });
    checker.conforms(created, 'post', '/m2m/owner/clients', 201);
    const id = (created.body as { client_id: string }).client_id;
    checker.conforms(
      await as('org_acme').post('/m2m/owner/clients', { client_name: [], scopes: [] }),
      'post',
      '/m2m/owner/clients',
      400,
    );
    checker.conforms(
      await as('org_acme').get('/m2m/owner/clients'),
      'get',
      '/m2m/owner/clients',
      200,
    );
    checker.conforms(await as('org_acme').get(`/m2m/owner/clients/${id}`), 'get', template, 200);
    checker.conforms(await as('org_globex').get(`/m2m/owner/clients/${id}`), 'get', template, 404);
    const rotation = `/m2m/owner/clients/${id}/secrets/rotation`;
    checker.conforms(
      await as('org_acme').post(rotation),
      'post',
      `${template}/secrets/rotation`,
      201,
    );
    checker.conforms(
      await as('org_acme').post(rotation),
      'post',
      `${template}/secrets/rotation`,
      409,
    );

    checker.conforms(
      await as('org_acme').get('/m2m/owner/policy'),
      'get',
      '/m2m/owner/policy',
      200,
    );
    checker.conforms(await http().get('/m2m/owner/policy'), 'get', '/m2m/owner/policy', 403);
    const audit = `${template}/audit-events`;
    const events = `/m2m/owner/clients/${id}/audit-events`;
    checker.conforms(await as('org_acme').get(events), 'get', audit, 200);
    checker.conforms(await as('org_globex').get(events), 'get', audit, 404);
    checker.conforms(await as('org_acme').get(`${events}?limit=x`), 'get', audit, 400);

    const refused = await http().get('/m2m/owner/clients');
    checker.conforms(refused, 'get', '/m2m/owner/clients', 403);
    expect(refused.body).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'Forbidden resource',
    });
    const noOwner = await as('').get('/m2m/owner/clients');
    checker.conforms(noOwner, 'get', '/m2m/owner/clients', 403);
    expect((noOwner.body as { detail: string }).detail).toBe(
      'The owner guard did not identify an owner.',
    );
  });

  it('registration off: 404 invalid_request on every registration route', async () => {
    const registered = await http().post('/oauth2/register').send({ client_name: 'x' });
    checker.conforms(registered, 'post', '/oauth2/register', 404);
    expect(registered.body).toEqual({
      error: 'invalid_request',
      error_description: 'The request could not be processed.',
    });
    checker.conforms(
      await http().get('/oauth2/register/m2mc_x'),
      'get',
      '/oauth2/register/{client_id}',
      404,
    );
  });
});

import dns from 'node:dns';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { resolveM2mOptions } from '../options/resolve-options.js';
import { type M2mPrivateKeyJwtOptions } from '../options/module-options.js';
import { RemoteJwksError, RemoteJwksService } from './remote-jwks.service.js';

type Handler = (response: ServerResponse, path: string) => void;

let server: Server;
let base: string;
let handler: Handler;
const requests: string[] = [];
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url!);
    open.add(response);
    response.on('close', () => open.delete(response));
    handler(response, request.url!);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const response of open) response.destroy();
  requests.length = 0;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function service(limits: M2mPrivateKeyJwtOptions = {}, production = false) {
  return new RemoteJwksService(
    resolveM2mOptions({
      issuer: 'https://auth.example.com',
      keyEncryptionKey: Buffer.alloc(32),
      production,
      bcryptCost: 10,
      privateKeyJwt: limits,
    }),
  );
}

async function signed() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const jwt = await new SignJWT({ sub: 'x' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .sign(privateKey);
  return { jwk, jwt };
}

/** Resolves the key for a compact JWS with the service, as jwtVerify would. */
function resolveKey(jwks: RemoteJwksService, uri: string, jwt: string) {
  const [header] = jwt.split('.');
  const protectedHeader = JSON.parse(Buffer.from(header!, 'base64url').toString()) as {
    alg: string;
    kid: string;
  };
  return Promise.resolve(
    jwks.keysAt(uri)(protectedHeader, { payload: '', signature: '' } as never),
  );
}

async function failure(promise: Promise<unknown>): Promise<RemoteJwksError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteJwksError);
  return error as RemoteJwksError;
}

describe('RemoteJwksService', () => {
  it('fetches a key set once and answers from the cache', async () => {
    const { jwk, jwt } = await signed();
    handler = (response) => response.end(JSON.stringify({ keys: [jwk] }));
    const jwks = service();
    await resolveKey(jwks, `${base}/jwks`, jwt);
    await resolveKey(jwks, `${base}/jwks`, jwt);
    expect(requests).toEqual(['/jwks']);
  });

  it('stops reading past maxJwksBytes, without holding the body in memory', async () => {
    const { jwt } = await signed();
    let sent = 0;
    handler = (response) => {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 200 * 1024 * 1024 && response.write(chunk)) sent += chunk.length;
        if (sent < 200 * 1024 * 1024) response.once('drain', pump);
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      pump();
    };
    const error = await failure(resolveKey(service({ maxJwksBytes: 65_536 }), `${base}/big`, jwt));
    expect(error.message).toBe('jwks_uri response over 65536 bytes');
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const { jwt } = await signed();
    handler = (response) => {
      response.writeHead(200, { 'content-length': String(10_000_000) });
      response.write('{');
    };
    const error = await failure(resolveKey(service(), `${base}/declared`, jwt));
    expect(error.message).toBe('jwks_uri response over 65536 bytes');
  });

  it('gives up after jwksTimeoutMs when the endpoint does not answer', async () => {
    const { jwt } = await signed();
    handler = () => undefined;
    const started = Date.now();
    const error = await failure(resolveKey(service({ jwksTimeoutMs: 300 }), `${base}/slow`, jwt));
    expect(error.message).toBe('jwks_uri took over 300 ms');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('runs at most maxConcurrentFetches at once; more fail at once; one URI is fetched once', async () => {
    const { jwt } = await signed();
    handler = () => undefined;
    const jwks = service({ maxConcurrentFetches: 2, jwksTimeoutMs: 2000 });
    const attempts = [
      resolveKey(jwks, `${base}/a`, jwt),
      resolveKey(jwks, `${base}/a`, jwt),
      resolveKey(jwks, `${base}/b`, jwt),
      resolveKey(jwks, `${base}/c`, jwt),
    ].map((attempt) => attempt.catch((error: Error) => error.message));
    const third = await attempts[3];
    expect(third).toBe('too many jwks_uri fetches in flight');
    expect(jwks.fetching).toBe(2);
    for (const response of open) response.destroy();
    await Promise.all(attempts);
    expect(requests.sort()).toEqual(['/a', '/b']);
  });

  it('remembers a failure for a while instead of fetching again', async () => {
    const { jwt } = await signed();
    handler = (response) => {
      response.statusCode = 500;
      response.end();
    };
    const jwks = service();
    expect((await failure(resolveKey(jwks, `${base}/down`, jwt))).message).toBe(
      'jwks_uri answered 500',
    );
    await failure(resolveKey(jwks, `${base}/down`, jwt));
    expect(requests).toEqual(['/down']);
  });

  it.each([
    ['not JSON', 'nope', 'jwks_uri is not JSON'],
    ['no keys', '{"keys":[]}', 'jwks_uri is not a JWKS with 1 to 100 keys'],
  ])('refuses a body that is %s', async (_name, body, message) => {
    const { jwt } = await signed();
    handler = (response) => response.end(body);
    expect((await failure(resolveKey(service(), `${base}/${_name.length}`, jwt))).message).toBe(
      message,
    );
  });

  it('in production refuses a host that resolves to a private address, before connecting', async () => {
    const { jwt } = await signed();
    const lookup = jest
      .spyOn(dns, 'lookup')
      .mockImplementation(((
        _host: string,
        _options: unknown,
        callback: (e: null, a: { address: string; family: number }[]) => void,
      ) => callback(null, [{ address: '10.0.0.5', family: 4 }])) as never);
    try {
      const error = await failure(
        resolveKey(service({}, true), 'https://keys.customer.example/jwks', jwt),
      );
      expect(error.message).toBe(
        'jwks_uri resolves to a loopback, private, link-local or metadata address',
      );
      expect(lookup).toHaveBeenCalledTimes(1);
    } finally {
      lookup.mockRestore();
    }
  });

  it('in production refuses http and private literals without any network use', async () => {
    const { jwt } = await signed();
    const jwks = service({}, true);
    expect((await failure(resolveKey(jwks, `${base}/jwks`, jwt))).message).toBe(
      'jwks_uri must be an https URL',
    );
    expect((await failure(resolveKey(jwks, 'https://169.254.169.254/x', jwt))).message).toBe(
      'jwks_uri must not point to a loopback, private, link-local or metadata address',
    );
    expect(requests).toEqual([]);
  });
});

// The reference peer: node-oidc-provider configured as a client-credentials authorization server
// that issues ES256 JWT access tokens, with an in-memory store. Started by bench/run.mjs as a
// child process.
//
// Environment: PORT (0 = any free port), HOST (default 127.0.0.1), PEER_CLIENT_ID,
// PEER_CLIENT_SECRET, PEER_RESOURCE (the audience of the tokens).
// Prints one JSON line on stdout when listening: { ready, url, pid, clientId, resource, notices }.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';

// oidc-provider prints development notices through console.info / console.warn (among them one
// about the Node.js version, issued when the module is imported). They are collected and
// reported in the ready line instead of being interleaved with the results (without colours:
// the provider colours them only on a terminal, and this process writes to pipes).
const notices = [];
for (const level of ['info', 'warn']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    const text = args.map(String).join(' ');
    if (text.includes('oidc-provider')) notices.push(text);
    else original(...args);
  };
}
const { default: Provider } = await import('oidc-provider');

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 0);
const clientId = process.env.PEER_CLIENT_ID || 'bench-peer';
const clientSecret = process.env.PEER_CLIENT_SECRET || randomBytes(32).toString('base64url');
const resource = process.env.PEER_RESOURCE || 'https://api.bench.example/';

/** A bounded in-memory store, like the provider's own development adapter (LRU of 1000). */
const MAX_ENTRIES = 1000;
const storage = new Map();
class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }
  key(id) {
    return `${this.model}:${id}`;
  }
  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    storage.delete(key);
    storage.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
    if (storage.size > MAX_ENTRIES) storage.delete(storage.keys().next().value);
  }
  async find(id) {
    const entry = storage.get(this.key(id));
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      storage.delete(this.key(id));
      return undefined;
    }
    return entry.payload;
  }
  async findByUserCode() {
    return undefined;
  }
  async findByUid() {
    return undefined;
  }
  async consume(id) {
    const entry = storage.get(this.key(id));
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    storage.delete(this.key(id));
  }
  async revokeByGrantId() {}
}

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench-es256' };

const issuer = `http://${host}:${port || 0}`;
const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: 'reports:read',
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'ES256',
    },
  ],
  scopes: ['reports:read'],
  clientBasedCORS: () => false,
  findAccount: async () => undefined,
  renderError: async (ctx, out) => {
    ctx.type = 'json';
    ctx.body = out;
  },
  ttl: { ClientCredentials: 3600, AccessToken: 3600 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: false },
    revocation: { enabled: false },
    resourceIndicators: {
      enabled: true,
      defaultResource: async () => resource,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: 'reports:read',
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`peer: ${error.stack}\n`));

const server = createServer(provider.callback());
server.keepAliveTimeout = 65_000;
server.on('error', (error) => {
  process.stderr.write(`peer: cannot listen on ${host}:${port}: ${error.message}\n`);
  process.exit(1);
});
server.listen(port, host, () => {
  const url = `http://${host}:${server.address().port}`;
  process.stdout.write(
    JSON.stringify({
      ready: true,
      url,
      pid: process.pid,
      clientId,
      resource,
      tokenEndpoint: `${url}/token`,
      notices,
    }) + '\n',
  );
});
// As bench/servers/m2m-server.mjs: { type: 'memory' } over IPC collects garbage and answers
// with process.memoryUsage(); the peer stops when the harness goes away.
if (process.send) {
  process.on('message', (message) => {
    if (message?.type !== 'memory') return;
    globalThis.gc?.();
    process.send({ type: 'memory', memory: process.memoryUsage(), gc: !!globalThis.gc });
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)).closeAllConnections());
}

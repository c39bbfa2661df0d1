import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { M2mCliIo as CliIo } from 'nestjs-m2m';
import { runExampleCli as runCli } from '../src/cli/example-cli.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { getToken, startServer } from './support/server.js';

interface Run {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the CLI in process against a database, collecting what it prints. */
async function runOn(database: TestDatabase, kek: string, args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => err.push(text) };
  const code = await runCli(args, { DATABASE_URL: database.url, M2M_KEY_ENCRYPTION_KEY: kek }, io);
  return { code, out, err };
}

describe('CLI (npm run m2m)', () => {
  let database: TestDatabase;
  const kek = randomBytes(32).toString('base64');

  beforeAll(async () => {
    // Empty, as on a first install: the CLI's first command creates the tables.
    database = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await database.drop();
  });

  const cli = (...args: string[]) => runOn(database, kek, args);

  let admin: { client_id: string; client_secret: string };

  it('creates the first admin client, printing exactly one JSON object with --json', async () => {
    const run = await cli(
      'clients',
      'create',
      '--name',
      'admin',
      '--scopes',
      'm2m:admin',
      '--json',
    );
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    admin = JSON.parse(run.out[0]!) as typeof admin;
    expect(admin).toMatchObject({
      client_name: 'admin',
      scopes: ['m2m:admin'],
      status: 'active',
      expires_at: null,
    });
    expect(admin.client_id).toMatch(/^m2mc_/);
    expect(admin.client_secret).toMatch(/^m2ms_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}$/);
  });

  it('the server on the same DATABASE_URL accepts the CLI-created credentials', async () => {
    const server = await startServer({ database, keyEncryptionKey: kek });
    try {
      const token = await getToken(server, {
        clientId: admin.client_id,
        clientSecret: admin.client_secret,
      });
      const list = await server.http().get('/m2m/clients').set('Authorization', `Bearer ${token}`);
      expect(list.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('lists clients as JSON without any secret', async () => {
    await cli(
      'clients',
      'create',
      '--name',
      'reporter',
      '--scopes',
      'reports:read reports:write',
      '--json',
    );
    const run = await cli('clients', 'list', '--json');
    expect(run.code).toBe(0);
    expect(run.out).toHaveLength(1);
    const page = JSON.parse(run.out[0]!) as {
      data: { client_name: string; scopes: string[] }[];
      next_cursor: null;
    };
    expect(page.next_cursor).toBeNull();
    expect(page.data.map((c) => [c.client_name, c.scopes])).toEqual([
      ['reporter', ['reports:read', 'reports:write']],
      ['admin', ['m2m:admin']],
    ]);
    expect(run.out[0]).not.toContain('"client_secret"');
    expect(run.out[0]).not.toContain(admin.client_secret);
  });

  it('lists in pages with --limit and --cursor', async () => {
    const first = JSON.parse((await cli('clients', 'list', '--limit', '1', '--json')).out[0]!) as {
      data: { client_name: string }[];
      next_cursor: string;
    };
    const second = JSON.parse(
      (await cli('clients', 'list', '--limit', '1', '--cursor', first.next_cursor, '--json'))
        .out[0]!,
    ) as {
      data: { client_name: string }[];
      next_cursor: string | null;
    };
    expect([first.data[0]!.client_name, second.data[0]!.client_name, second.next_cursor]).toEqual([
      'reporter',
      'admin',
      null,
    ]);
  });

  it('prints a human-readable line without --json, and the secret once on create', async () => {
    const created = await cli('clients', 'create', '--name', 'human', '--scopes', 'a');
    expect(created.code).toBe(0);
    expect(created.out[0]).toMatch(
      /client_secret: m2ms_[A-Za-z0-9_-]{43}[0-9A-Za-z]{6}\nThe secret is shown only once: store it now\.$/,
    );
    const get = await cli('clients', 'get', admin.client_id);
    expect(get.out[0]).toMatch(
      new RegExp(
        `^${admin.client_id}  active    admin  \\[m2m:admin\\]  …${admin.client_secret.slice(-4)}  never expires$`,
      ),
    );
  });

  it('gets one client as JSON', async () => {
    const run = await cli('clients', 'get', admin.client_id, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out[0]!)).toMatchObject({
      client_id: admin.client_id,
      secret_hint: admin.client_secret.slice(-4),
    });
    expect(run.out[0]).not.toContain('"client_secret"');
  });

  it('deletes a client; getting it afterwards fails with exit code 1', async () => {
    const created = JSON.parse(
      (await cli('clients', 'create', '--name', 'tmp', '--scopes', 'a', '--json')).out[0]!,
    ) as {
      client_id: string;
    };
    const deleted = await cli('clients', 'delete', created.client_id);
    expect([deleted.code, deleted.out]).toEqual([0, [`Deleted ${created.client_id}.`]]);
    const get = await cli('clients', 'get', created.client_id);
    expect([get.code, get.out, get.err]).toEqual([
      1,
      [],
      [`No client with id "${created.client_id}".`],
    ]);
  });

  it.each([
    ['an empty name', ['--name', '', '--scopes', 'a'], 'client_name: must be a non-empty string'],
    [
      'a scope with a quote',
      ['--name', 'x', '--scopes', 'a"b'],
      'scopes/0: must be a scope token: 1 to 128 printable ASCII characters without spaces, quotes or backslashes',
    ],
    [
      'an expiry in the past',
      ['--name', 'x', '--scopes', 'a', '--expires-at', '2020-01-01T00:00:00Z'],
      'expires_at: must be at least 60 seconds in the future',
    ],
  ])(
    'rejects %s with exit code 2, naming the field, and creates nothing (as JSON with --json)',
    async (_name, args, line) => {
      const before = JSON.parse(
        (await cli('clients', 'list', '--limit', '100', '--json')).out[0]!,
      ) as { data: unknown[] };
      const run = await cli('clients', 'create', ...args, '--json');
      expect([run.code, run.out, run.err.map((e) => JSON.parse(e) as unknown)]).toEqual([
        2,
        [],
        [{ error: 'invalid_input', message: `Invalid input: ${line}` }],
      ]);
      const plain = await cli('clients', 'create', ...args);
      expect([plain.code, plain.err]).toEqual([2, [`Invalid input: ${line}`]]);
      const after = JSON.parse(
        (await cli('clients', 'list', '--limit', '100', '--json')).out[0]!,
      ) as { data: unknown[] };
      expect(after.data).toHaveLength(before.data.length);
    },
  );

  it.each([
    ['an unknown command', ['clients', 'explode'], 'unknown command "explode"'],
    ['an unknown group', ['widgets', 'list'], 'unknown command "widgets"'],
    ['an unknown option', ['clients', 'list', '--colour'], "unknown option '--colour'"],
    [
      'create without --scopes',
      ['clients', 'create', '--name', 'x'],
      "required option '--scopes <scopes>' not specified",
    ],
    ['get without its client id', ['clients', 'get'], "missing required argument 'client-id'"],
  ])('%s: exit code 2 and one line', async (_name, args, line) => {
    const run = await cli(...args);
    expect([run.code, run.out, run.err]).toEqual([2, [], [line]]);
    const json = await cli(...args, '--json');
    expect([json.code, json.err.map((e) => JSON.parse(e) as unknown)]).toEqual([
      2,
      [{ error: 'usage', message: line }],
    ]);
  });

  it('no arguments: the usage, exit code 2', async () => {
    const run = await cli();
    expect(run.code).toBe(2);
    expect(run.out[0]).toMatch(/^Usage: nestjs-m2m \[options\] \[command\]/);
  });

  it('--help prints the usage of a command and exits 0', async () => {
    const run = await cli('clients', 'create', '--help');
    expect(run.code).toBe(0);
    expect(run.out[0]).toMatch(/^Usage: nestjs-m2m clients create \[options\]/);
    expect(run.out[0]).toContain('--scopes <scopes>');
  });
});

describe('CLI lifecycle commands', () => {
  let database: TestDatabase;
  const kek = randomBytes(32).toString('base64');

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  const cli = (...args: string[]) => runOn(database, kek, args);
  const json = <T>(run: Run): T => {
    expect([run.code, run.out.length]).toEqual([0, 1]);
    return JSON.parse(run.out[0]!) as T;
  };

  it('rotates a secret: start shows the next secret once, complete promotes it, and the audit log says so', async () => {
    const client = json<{ client_id: string; secret_hint: string }>(
      await cli(
        'clients',
        'create',
        '--name',
        'rotating',
        '--scopes',
        'a',
        '--owner',
        'org_1',
        '--json',
      ),
    );
    const started = json<{ next_client_secret: string; rotation: { next_secret_hint: string } }>(
      await cli(
        'clients',
        'rotate',
        'start',
        client.client_id,
        '--grace-seconds',
        '3600',
        '--json',
      ),
    );
    expect(started.rotation.next_secret_hint).toBe(started.next_client_secret.slice(-4));
    const again = await cli('clients', 'rotate', 'start', client.client_id);
    expect([again.code, again.err]).toEqual([
      1,
      [
        `Client "${client.client_id}" already has a next secret; complete or cancel that rotation first.`,
      ],
    ]);
    const completed = json<{ secret_hint: string; rotation: null }>(
      await cli('clients', 'rotate', 'complete', client.client_id, '--json'),
    );
    expect(completed).toMatchObject({
      secret_hint: started.next_client_secret.slice(-4),
      rotation: null,
    });
    const audit = json<{ data: { type: string; actor: { type: string } }[] }>(
      await cli('audit', 'list', '--client', client.client_id, '--json'),
    );
    expect(audit.data.map((e) => e.type)).toEqual([
      'secret.rotation_completed',
      'secret.rotation_started',
      'client.created',
    ]);
    expect(audit.data.every((e) => e.actor.type === 'cli')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(started.next_client_secret);
  });

  it('disables and enables, filters lists by owner and expiry, and revokes a token by jti', async () => {
    const soon = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString();
    const client = json<{ client_id: string; status: string }>(
      await cli(
        'clients',
        'create',
        '--name',
        'temp',
        '--scopes',
        'a',
        '--owner',
        'org_2',
        '--expires-at',
        soon,
        '--json',
      ),
    );
    expect(
      json<{ status: string }>(await cli('clients', 'disable', client.client_id, '--json')).status,
    ).toBe('disabled');
    expect(
      json<{ status: string }>(await cli('clients', 'enable', client.client_id, '--json')).status,
    ).toBe('active');
    const byOwner = json<{ data: { client_id: string }[] }>(
      await cli('clients', 'list', '--owner', 'org_2', '--json'),
    );
    expect(byOwner.data.map((c) => c.client_id)).toEqual([client.client_id]);
    const expiring = json<{ data: { client_id: string }[] }>(
      await cli('clients', 'list', '--expiring-within-days', '7', '--json'),
    );
    expect(expiring.data.map((c) => c.client_id)).toEqual([client.client_id]);
    expect(await cli('tokens', 'revoke', 'some-jti_123')).toEqual({
      code: 0,
      out: ['Revoked token some-jti_123.'],
      err: [],
    });
    const revoked = json<{ data: { type: string; details: unknown }[] }>(
      await cli('audit', 'list', '--type', 'token.revoked', '--json'),
    );
    expect(revoked.data).toMatchObject([
      { type: 'token.revoked', details: { jti: 'some-jti_123' } },
    ]);
  });

  it('lists and rotates the signing keys', async () => {
    const before = json<{ data: { kid: string; status: string }[] }>(
      await cli('keys', 'list', '--json'),
    );
    expect(before.data.map((k) => k.status).sort()).toEqual(['active', 'next']);
    const next = before.data.find((k) => k.status === 'next')!.kid;
    const after = json<{ data: { kid: string; status: string }[] }>(
      await cli('keys', 'rotate', '--json'),
    );
    expect(after.data.find((k) => k.status === 'active')!.kid).toBe(next);
    expect(after.data.map((k) => k.status).sort()).toEqual(['active', 'next', 'retired']);
  });

  it('rejects bad numbers and unknown audit types with exit code 2', async () => {
    expect((await cli('clients', 'list', '--expiring-within-days', 'soon')).code).toBe(2);
    expect((await cli('audit', 'list', '--type', 'nope')).code).toBe(2);
    expect((await cli('clients', 'rotate', 'spin', 'm2mc_x')).code).toBe(2);
  });

  it('escapes control characters in what it prints: a stored name cannot drive the terminal', async () => {
    const created = await cli('clients', 'create', '--name', 'plain', '--scopes', 'a', '--json');
    const id = (JSON.parse(created.out[0]!) as { client_id: string }).client_id;
    // Names with control characters are refused on input; this one is written to the table
    // directly, as an older version or a manual edit could have left it.
    const server = await startServer({ database, keyEncryptionKey: kek });
    try {
      const postgres = database.config.type === 'postgres';
      await server.app
        .get(DataSource)
        .query(
          `UPDATE m2m_clients SET client_name = ${postgres ? '$1' : '?'} WHERE client_id = ${postgres ? '$2' : '?'}`,
          ['evil\u001b[2J\u0085name', id],
        );
    } finally {
      await server.close();
    }
    const human = await cli('clients', 'get', id);
    expect(human.out.join('\n')).toContain('evil\\x1b[2J\\x85name');
    const printed = (run: Run) => run.out.join('\n');
    const hasControl = (text: string) => text.includes('\u001b') || text.includes('\u0085');
    expect(hasControl(printed(human))).toBe(false);
    const json = await cli('clients', 'get', id, '--json');
    expect(hasControl(printed(json))).toBe(false);
    expect((JSON.parse(json.out[0]!) as { client_name: string }).client_name).toBe(
      'evil\u001b[2J\u0085name',
    );
  });
});

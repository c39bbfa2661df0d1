import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import bcrypt from 'bcrypt';
import { ClientsService, M2M_SECRET_HASHER, type M2mSecretHasher } from 'nestjs-m2m';
import { startHostApp, type HostApp } from './support/host-app.js';
import { withSecret } from './support/server.js';

const scryptAsync = promisify(scrypt) as (
  secret: string,
  salt: Buffer,
  length: number,
) => Promise<Buffer>;

/** A host's own hasher: scrypt for new secrets, bcrypt hashes still verified. */
@Injectable()
class ScryptSecretHasher implements M2mSecretHasher {
  static readonly calls: string[] = [];
  async hash(secret: string): Promise<string> {
    ScryptSecretHasher.calls.push('hash');
    const salt = randomBytes(16);
    const key = await scryptAsync(secret, salt, 32);
    return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(secret: string, hash: string): Promise<boolean> {
    ScryptSecretHasher.calls.push('verify');
    if (!hash.startsWith('scrypt$')) return bcrypt.compare(secret, hash);
    const [, salt, expected] = hash.split('$');
    const key = await scryptAsync(secret, Buffer.from(salt!, 'base64'), 32);
    return timingSafeEqual(key, Buffer.from(expected!, 'base64'));
  }
}

/** A host provider that injects what the module exports. */
@Injectable()
class HasherProbe {
  constructor(@Inject(M2M_SECRET_HASHER) readonly hasher: M2mSecretHasher) {}
}

@Module({ providers: [HasherProbe] })
class ProbeModule {}

describe('the secretHasher extra', () => {
  let host: HostApp;
  let app: INestApplication;

  beforeAll(async () => {
    host = await startHostApp({ secretHasher: ScryptSecretHasher, isGlobal: true }, [ProbeModule]);
    app = host.app;
  });

  afterAll(() => host.close());

  beforeEach(() => {
    ScryptSecretHasher.calls.length = 0;
  });

  it('replaces bcrypt: new secrets are stored as the host hasher writes them', async () => {
    const client = withSecret(
      await app.get(ClientsService).create({ clientName: 'scrypt', scopes: ['orders:read'] }),
    );
    const param = host.database.config.type === 'postgres' ? '$1' : '?';
    const [row] = (await app
      .get(DataSource)
      .query(`SELECT secret_hash FROM m2m_clients WHERE client_id = ${param}`, [
        client.clientId,
      ])) as { secret_hash: string }[];
    expect(row!.secret_hash).toMatch(/^scrypt\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(ScryptSecretHasher.calls).toEqual(['hash']);

    const token = await request(app.getHttpServer()).post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expect(token.status).toBe(200);
    expect(token.body.token_type).toBe('Bearer');
    expect(ScryptSecretHasher.calls).toEqual(['hash', 'verify']);

    // A well-formed secret (format and checksum pass), but another client's: only the hash
    // can tell.
    const other = withSecret(
      await app.get(ClientsService).create({ clientName: 'other', scopes: ['orders:read'] }),
    );
    const wrong = await request(app.getHttpServer()).post('/oauth2/token').type('form').send({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: other.clientSecret,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed.',
    });
    expect(ScryptSecretHasher.calls).toEqual(['hash', 'verify', 'hash', 'verify']);
  });

  it('is the instance the module provides under M2M_SECRET_HASHER to host providers', () => {
    expect(app.get(HasherProbe).hasher).toBeInstanceOf(ScryptSecretHasher);
  });
});

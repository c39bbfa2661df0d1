import {
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  M2M_OWNER_REQUEST_PROPERTY,
  M2mModule,
  type M2mModuleExtras,
  type M2mModuleOptions,
} from 'nestjs-m2m';
import { dataSourceOptions } from '../../src/database.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { TEST_KEK } from './server.js';

/** A host application of its own (not the example server) that imports the module. */
export interface HostApp {
  app: INestApplication;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * Boots a minimal host: TypeORM on a fresh database, `M2mModule.forRoot()` with the given
 * options, and the host's own modules.
 */
export async function startHostApp(
  m2m: Partial<M2mModuleOptions> & M2mModuleExtras,
  modules: Type[] = [],
): Promise<HostApp> {
  const database = await createTestDatabase();
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRoot(dataSourceOptions(database.config)),
      M2mModule.forRoot({
        issuer: 'https://auth.example.test',
        keyEncryptionKey: TEST_KEK,
        bcryptCost: 4,
        ...m2m,
      }),
      ...modules,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/**
 * A host's own authentication of owners for the owner API: the `x-tenant` header names the
 * tenant (a real app checks a session). An empty tenant is let through on purpose: the module
 * must still refuse it.
 */
@Injectable()
export class TenantGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context
      .switchToHttp()
      .getRequest<Record<string, unknown> & { headers: Record<string, string> }>();
    const tenant = req.headers['x-tenant'];
    if (tenant === undefined) return false;
    req[M2M_OWNER_REQUEST_PROPERTY] = tenant;
    return true;
  }
}

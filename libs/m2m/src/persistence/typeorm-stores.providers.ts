import type { Provider } from '@nestjs/common';
import { getDataSourceToken, getRepositoryToken } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { AssertionJtiStore } from '../stores/assertion-jti-store.js';
import { AuditStore } from '../stores/audit-store.js';
import { ClientStore } from '../stores/client-store.js';
import { RevocationStore } from '../stores/revocation-store.js';
import { SigningKeyStore } from '../stores/signing-key-store.js';
import { M2mTransactions } from '../stores/transactions.js';
import { AssertionJtiEntity } from './assertion-jti.entity.js';
import { TypeOrmAssertionJtiStore } from './assertion-jti.store.js';
import { AuditEventEntity } from './audit-event.entity.js';
import { TypeOrmAuditStore } from './audit.store.js';
import { ClientScopeEntity } from './client-scope.entity.js';
import { ClientEntity } from './client.entity.js';
import { TypeOrmClientStore } from './client.store.js';
import { RevocationEntity } from './revocation.entity.js';
import { TypeOrmRevocationStore } from './revocation.store.js';
import { SigningKeyEntity } from './signing-key.entity.js';
import { TypeOrmSigningKeyStore } from './signing-key.store.js';
import { TypeOrmTransactions } from './typeorm-transactions.js';

/**
 * The store contracts bound to their TypeORM implementations on the module's data source (the
 * default one when `dataSource` is undefined).
 */
export function typeOrmStoreProviders(dataSource: string | undefined): Provider[] {
  return [
    {
      provide: ClientStore,
      inject: [
        getRepositoryToken(ClientEntity, dataSource),
        getRepositoryToken(ClientScopeEntity, dataSource),
      ],
      useFactory: (rows: Repository<ClientEntity>, scopes: Repository<ClientScopeEntity>) =>
        new TypeOrmClientStore(rows, scopes),
    },
    {
      provide: SigningKeyStore,
      inject: [getRepositoryToken(SigningKeyEntity, dataSource)],
      useFactory: (rows: Repository<SigningKeyEntity>) => new TypeOrmSigningKeyStore(rows),
    },
    {
      provide: AssertionJtiStore,
      inject: [getRepositoryToken(AssertionJtiEntity, dataSource)],
      useFactory: (rows: Repository<AssertionJtiEntity>) => new TypeOrmAssertionJtiStore(rows),
    },
    {
      provide: RevocationStore,
      inject: [getRepositoryToken(RevocationEntity, dataSource)],
      useFactory: (rows: Repository<RevocationEntity>) => new TypeOrmRevocationStore(rows),
    },
    {
      provide: AuditStore,
      inject: [getRepositoryToken(AuditEventEntity, dataSource)],
      useFactory: (rows: Repository<AuditEventEntity>) => new TypeOrmAuditStore(rows),
    },
    {
      provide: M2mTransactions,
      inject: [getDataSourceToken(dataSource)],
      useFactory: (source: DataSource) => new TypeOrmTransactions(source),
    },
  ];
}

import { AuditEventEntity } from './audit-event.entity.js';
import { ClientEntity } from './client.entity.js';
import { ClientScopeEntity } from './client-scope.entity.js';
import { CreateM2mTables1763800000000 } from './migrations/1763800000000-create-m2m-tables.js';
import { CredentialLifecycle1763900000000 } from './migrations/1763900000000-credential-lifecycle.js';
import { SigningKeyRotation1764000000000 } from './migrations/1764000000000-signing-key-rotation.js';
import { ClientAudiences1764100000000 } from './migrations/1764100000000-client-audiences.js';
import { PrivateKeyJwt1764200000000 } from './migrations/1764200000000-private-key-jwt.js';
import { ClientRegistration1764300000000 } from './migrations/1764300000000-client-registration.js';
import { CommitOrderedFeed1764400000000 } from './migrations/1764400000000-commit-ordered-feed.js';
import { NamePrefixIndex1764500000000 } from './migrations/1764500000000-name-prefix-index.js';
import { AssertionJtiEntity } from './assertion-jti.entity.js';
import { RevocationEntity } from './revocation.entity.js';
import { SigningKeyEntity } from './signing-key.entity.js';

/** Entities to list in the host's DataSource (or let `autoLoadEntities` pick them up). */
export const M2M_ENTITIES = [
  ClientEntity,
  ClientScopeEntity,
  SigningKeyEntity,
  RevocationEntity,
  AuditEventEntity,
  AssertionJtiEntity,
];

/** Migrations to list in the host's DataSource `migrations`. The module never synchronizes. */
export const M2M_MIGRATIONS = [
  CreateM2mTables1763800000000,
  CredentialLifecycle1763900000000,
  SigningKeyRotation1764000000000,
  ClientAudiences1764100000000,
  PrivateKeyJwt1764200000000,
  ClientRegistration1764300000000,
  CommitOrderedFeed1764400000000,
  NamePrefixIndex1764500000000,
];

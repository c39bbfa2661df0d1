import {
  Table,
  TableColumn,
  TableIndex,
  type MigrationInterface,
  type QueryRunner,
  type TableColumnOptions,
} from 'typeorm';

const CLIENT_COLUMNS: TableColumnOptions[] = [
  { name: 'secret_created_at', type: 'bigint', isNullable: true },
  { name: 'secret_last_used_at', type: 'bigint', isNullable: true },
  { name: 'next_secret_hash', type: 'varchar', length: '255', isNullable: true },
  { name: 'next_secret_hint', type: 'varchar', length: '16', isNullable: true },
  { name: 'next_secret_created_at', type: 'bigint', isNullable: true },
  { name: 'next_secret_last_used_at', type: 'bigint', isNullable: true },
  { name: 'secret_expires_at', type: 'bigint', isNullable: true },
  { name: 'token_version', type: 'integer', default: 0 },
  { name: 'owner_id', type: 'varchar', length: '200', isNullable: true },
  { name: 'last_used_at', type: 'bigint', isNullable: true },
  { name: 'token_count', type: 'bigint', default: 0 },
];

const CLIENT_INDEXES = [
  new TableIndex({
    name: 'idx_m2m_clients_owner',
    columnNames: ['owner_id', 'created_at', 'client_id'],
  }),
  new TableIndex({ name: 'idx_m2m_clients_name', columnNames: ['client_name'] }),
  new TableIndex({ name: 'idx_m2m_clients_expires', columnNames: ['expires_at'] }),
];

/** Rotation, revocation, ownership, usage and the audit log. */
export class CredentialLifecycle1763900000000 implements MigrationInterface {
  name = 'CredentialLifecycle1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns(
      'm2m_clients',
      CLIENT_COLUMNS.map((column) => new TableColumn(column)),
    );
    await queryRunner.query('UPDATE m2m_clients SET secret_created_at = created_at');
    await queryRunner.createIndices('m2m_clients', CLIENT_INDEXES);
    await queryRunner.createTable(
      new Table({
        name: 'm2m_revocations',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'subject', type: 'varchar', length: '255' },
          { name: 'min_token_version', type: 'integer', isNullable: true },
          { name: 'created_at', type: 'bigint' },
          { name: 'expires_at', type: 'bigint' },
        ],
        indices: [{ name: 'idx_m2m_revocations_expires', columnNames: ['expires_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'm2m_audit_events',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'occurred_at', type: 'bigint' },
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'client_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'owner_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'actor_type', type: 'varchar', length: '16' },
          { name: 'actor_id', type: 'varchar', length: '200', isNullable: true },
          { name: 'details', type: 'text', isNullable: true },
        ],
        indices: [
          { name: 'idx_m2m_audit_occurred', columnNames: ['occurred_at', 'id'] },
          { name: 'idx_m2m_audit_client', columnNames: ['client_id', 'occurred_at', 'id'] },
          { name: 'idx_m2m_audit_type', columnNames: ['type', 'occurred_at', 'id'] },
          { name: 'idx_m2m_audit_owner', columnNames: ['owner_id', 'occurred_at', 'id'] },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('m2m_audit_events');
    await queryRunner.dropTable('m2m_revocations');
    for (const index of CLIENT_INDEXES) await queryRunner.dropIndex('m2m_clients', index.name!);
    await queryRunner.dropColumns(
      'm2m_clients',
      CLIENT_COLUMNS.map((column) => column.name),
    );
  }
}

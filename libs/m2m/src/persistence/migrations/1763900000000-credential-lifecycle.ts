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
        name: 'm2m_client_scopes',
        columns: [
          { name: 'client_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'scope', type: 'varchar', length: '128', isPrimary: true },
          { name: 'created_at', type: 'bigint' },
        ],
        indices: [
          {
            name: 'idx_m2m_client_scopes_scope',
            columnNames: ['scope', 'created_at', 'client_id'],
          },
        ],
      }),
    );
    await this.backfillScopes(queryRunner);
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

  /** One row per scope of every existing client. */
  private async backfillScopes(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.connection.driver.options.type === 'postgres';
    const clients = (await queryRunner.query(
      'SELECT client_id, scopes, created_at FROM m2m_clients',
    )) as {
      client_id: string;
      scopes: string;
      created_at: string | number;
    }[];
    for (const client of clients) {
      for (const scope of client.scopes.split(' ').filter((s) => s !== '')) {
        await queryRunner.query(
          `INSERT INTO m2m_client_scopes (client_id, scope, created_at) VALUES (${postgres ? '$1, $2, $3' : '?, ?, ?'})`,
          [client.client_id, scope, Number(client.created_at)],
        );
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('m2m_audit_events');
    await queryRunner.dropTable('m2m_revocations');
    await queryRunner.dropTable('m2m_client_scopes');
    for (const index of CLIENT_INDEXES) await queryRunner.dropIndex('m2m_clients', index.name!);
    await queryRunner.dropColumns(
      'm2m_clients',
      CLIENT_COLUMNS.map((column) => column.name),
    );
  }
}

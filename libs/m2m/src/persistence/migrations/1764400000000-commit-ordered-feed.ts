import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed records, on PostgreSQL, the id of the transaction that wrote each entry, so that
 * readers can tell which entries may still become visible out of id order (see RevocationStore).
 * SQLite serialises writers, so ids already follow commit order there; the column stays empty.
 */
export class CommitOrderedFeed1764400000000 implements MigrationInterface {
  name = 'CommitOrderedFeed1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query(
        'ALTER TABLE m2m_revocations ADD COLUMN txid bigint DEFAULT (pg_current_xact_id()::text::bigint)',
      );
      await queryRunner.query('CREATE INDEX idx_m2m_revocations_txid ON m2m_revocations (txid)');
    } else {
      await queryRunner.query('ALTER TABLE m2m_revocations ADD COLUMN txid bigint');
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('DROP INDEX idx_m2m_revocations_txid');
    }
    await queryRunner.query('ALTER TABLE m2m_revocations DROP COLUMN txid');
  }
}

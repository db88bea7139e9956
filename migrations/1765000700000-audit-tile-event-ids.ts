import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each leaf tile also records the ids of the events it sealed (16 bytes each, in leaf order), so that `audit verify`
 * can name an event that was deleted after sealing, not only its hash. Tiles sealed before this keep NULL: their
 * deleted events are named by hash alone.
 */
export class AuditTileEventIds1765000700000 implements MigrationInterface {
  name = 'AuditTileEventIds1765000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_tiles ADD COLUMN event_ids bytea CHECK (event_ids IS NULL OR length(event_ids) = 16 * size)`);
    await q.query(`ALTER TABLE audit_tiles ALTER COLUMN event_ids SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_tiles DROP COLUMN event_ids`);
  }
}

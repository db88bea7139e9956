import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Log search by event type in commit order (`GET /audit/events?type=…`, and the console's access log, which is the
 * search for audit.EvidenceAccessed): without this index PostgreSQL walks the commit-order index and filters, reading
 * nearly the whole log for a type that is rare or recent. With it, one range of the type in commit order, the cursor
 * included. One more index entry per appended event.
 */
export class AuditTypeIndex1766500000000 implements MigrationInterface {
  name = 'AuditTypeIndex1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS events_type_commit_order_idx ON events (type, tx_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS events_type_commit_order_idx');
  }
}

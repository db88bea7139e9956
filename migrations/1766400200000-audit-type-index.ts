import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Log search by event type in commit order (`GET /audit/events?type=…`, the console's access log of
 * audit.EvidenceAccessed): without this index PostgreSQL walks the commit-order index and filters, which reads nearly
 * the whole log for a rare type (2.2 s at 1M events); with it, one range of the type in commit order, cursor included.
 * One more index entry per appended event.
 */
export class AuditTypeIndex1766400200000 implements MigrationInterface {
  name = 'AuditTypeIndex1766400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_type_commit_order_idx ON events (type, tx_id, position)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX events_type_commit_order_idx');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An investor's file includes their payments' events, found through the payer named by each payment's request. Like
 * the other compliance search indexes, it covers only the events that carry the key.
 */
export class AuditPayerIndex1765000600000 implements MigrationInterface {
  name = 'AuditPayerIndex1765000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_audit_payer_idx ON events ((data->>'payerId')) WHERE data ? 'payerId'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_audit_payer_idx`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The compliance search indexes on events cover only the events that carry the key, so an append pays for an index
 * entry only where the event is about an investor, engagement, product or listing, not six entries for every event.
 */
const KEYS = ['investor', 'product', 'listing', 'engagement'] as const;
const FIELD: Record<(typeof KEYS)[number], string> = {
  investor: 'investorId',
  product: 'productId',
  listing: 'listingId',
  engagement: 'engagementId',
};

export class AuditPartialIndexes1764000600000 implements MigrationInterface {
  name = 'AuditPartialIndexes1764000600000';

  async up(q: QueryRunner): Promise<void> {
    for (const key of KEYS) {
      await q.query(`DROP INDEX events_audit_${key}_idx`);
      await q.query(`CREATE INDEX events_audit_${key}_idx ON events ((data->>'${FIELD[key]}')) WHERE data ? '${FIELD[key]}'`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const key of KEYS) {
      await q.query(`DROP INDEX events_audit_${key}_idx`);
      await q.query(`CREATE INDEX events_audit_${key}_idx ON events ((data->>'${FIELD[key]}'))`);
    }
  }
}

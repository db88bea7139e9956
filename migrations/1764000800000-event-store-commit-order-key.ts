import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The commit-order key (tx_id, position) becomes the primary key and replaces both the position-only key and the
 * separate commit-order index: every reader of the log orders and pages by (tx_id, position), nothing looks an event
 * up by position alone, and an append then maintains one B-tree fewer. Positions still come from the identity
 * sequence; the pair readers page by is what the key now enforces as unique.
 */
export class EventStoreCommitOrderKey1764000800000 implements MigrationInterface {
  name = 'EventStoreCommitOrderKey1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP CONSTRAINT events_pkey`);
    await q.query(`ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (tx_id, position)`);
    await q.query(`DROP INDEX events_commit_order_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_commit_order_idx ON events (tx_id, position)`);
    await q.query(`ALTER TABLE events DROP CONSTRAINT events_pkey`);
    await q.query(`ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (position)`);
  }
}

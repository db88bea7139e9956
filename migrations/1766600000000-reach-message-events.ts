import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each message of the reach read model names the log event that sent it (a campaign's `reach.BatchSent`, or a direct
 * `reach.MessageSent`), so that compliance can list one investor's messages with the event to prove each by; filled
 * here from the log for the messages already projected. The index serves one investor's messages on every channel.
 */
export class ReachMessageEvents1766600000000 implements MigrationInterface {
  name = 'ReachMessageEvents1766600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reach_messages ADD COLUMN event_id uuid`);
    await q.query(`
      UPDATE reach_messages m SET event_id = s.event_id
        FROM (SELECT e.event_id, r->>'messageId' AS message_id
                FROM events e CROSS JOIN LATERAL jsonb_array_elements(e.data->'sent') AS r
               WHERE e.type = 'reach.BatchSent'
              UNION ALL
              SELECT e.event_id, e.data->>'messageId' FROM events e WHERE e.type = 'reach.MessageSent') s
       WHERE m.message_id = s.message_id`);
    await q.query(`CREATE INDEX reach_messages_investor ON reach_messages (investor_id, message_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reach_messages_investor`);
    await q.query(`ALTER TABLE reach_messages DROP COLUMN event_id`);
  }
}

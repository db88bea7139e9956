import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * G2's frequency-cap counters: one row per investor, channel and Beijing ISO week (its Monday), with the week's count
 * and the count of the latest Beijing day it saw. Written beside the log in the transaction of the append that sends
 * the messages (not a read model: a rebuild of the projections leaves it alone). Filled here from the messages the
 * log already holds as `reach.MessageSent` events (the per-investor cap streams this table replaces).
 */
export class ReachCapCounters1766100000000 implements MigrationInterface {
  name = 'ReachCapCounters1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reach_cap_counters (
        investor_id  text NOT NULL,
        channel      text NOT NULL,
        week         date NOT NULL,
        week_count   integer NOT NULL,
        day          date NOT NULL,
        day_count    integer NOT NULL,
        PRIMARY KEY (investor_id, channel, week)
      )`);
    await q.query(`
      WITH sent AS (
        SELECT data->>'investorId' AS investor_id, data->>'channel' AS channel,
               ((data->'step'->>'at')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date AS day
          FROM events WHERE type = 'reach.MessageSent'),
      weeks AS (
        SELECT investor_id, channel, date_trunc('week', day)::date AS week, count(*)::int AS week_count, max(day) AS day
          FROM sent GROUP BY 1, 2, 3)
      INSERT INTO reach_cap_counters (investor_id, channel, week, week_count, day, day_count)
      SELECT w.investor_id, w.channel, w.week, w.week_count, w.day,
             (SELECT count(*)::int FROM sent s WHERE s.investor_id = w.investor_id AND s.channel = w.channel AND s.day = w.day)
        FROM weeks w`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reach_cap_counters`);
  }
}

/**
 * G2's counters (`reach_cap_counters`, see the migration): one row per investor, channel and Beijing ISO week, with
 * the week's count and the latest Beijing day's count. Not a read model: they are written beside the log, in the
 * transaction that appends the messages they count (a campaign's `reach.BatchSent`, a direct `reach.MessageSent`),
 * and decisions read them. Each raise is conditional (`ON CONFLICT … DO UPDATE … WHERE` under both caps): a row that
 * another sender raised after this decision read it is not raised, the write reports the race, and the unit of work
 * decides again (so a cap is never exceeded, whatever runs side by side). Row locks order concurrent raises of one
 * counter; a batch raises its counters in investor order, so two batches cannot deadlock on them. (A sender whose
 * clock is behind another's across Beijing midnight counts its message in the week only.)
 */
import { Injectable } from '@nestjs/common';
import { LogDatabase, WrongExpectedRevisionError } from '@app/event-store';
import { SideWrite, sideWrite } from '@app/platform';
import { beijingDay, beijingWeek, CapCount, ChannelCaps, ReachChannel } from '../domain';

@Injectable()
export class CapCounters {
  private prunedOn: string | null = null;

  constructor(private readonly db: LogDatabase) {}

  /**
   * Drops the counters of weeks before last week: a decision reads only the week of its send, and last week's stay for
   * a sender whose clock is behind across a Monday. At most once per Beijing day (the scheduler's tick calls it); the
   * messages themselves stay in the log, so nothing of the evidence goes. Returns the rows dropped.
   */
  async prune(now: Date): Promise<number> {
    const today = beijingDay(now.toISOString());
    if (this.prunedOn === today) return 0;
    const lastWeek = beijingWeek(new Date(now.getTime() - 7 * 86_400_000).toISOString());
    const { rowCount } = await this.db.query(`DELETE FROM reach_cap_counters WHERE week < $1::date`, [lastWeek]);
    this.prunedOn = today;
    return rowCount ?? 0;
  }

  /** The investors' counters for the channel in the Beijing week of `at` (absent: nothing sent that week). */
  async read(investorIds: readonly string[], channel: ReachChannel, at: string): Promise<Record<string, CapCount>> {
    const counts: Record<string, CapCount> = {};
    if (investorIds.length === 0) return counts;
    const week = beijingWeek(at);
    const { rows } = await this.db.query<{ investor_id: string; week_count: number; day: string; day_count: number }>(
      `SELECT investor_id, week_count, to_char(day, 'YYYY-MM-DD') AS day, day_count FROM reach_cap_counters
        WHERE channel = $1 AND week = $2::date AND investor_id = ANY($3::text[])`,
      [channel, week, investorIds],
    );
    for (const row of rows) counts[row.investor_id] = { week, weekCount: row.week_count, day: row.day, dayCount: row.day_count };
    return counts;
  }
}

/**
 * The counters of the investors sent a message at `at` raised by one each (an investor listed twice, by two), each
 * only while it stays under both caps. A counter that does not rise means another sender took the slot after this
 * decision read it: the write fails as a lost race, the transaction (with the append) is rolled back, and the
 * decision is made again on fresh counts.
 */
export const raiseCapCounters = (investorIds: readonly string[], channel: ReachChannel, at: string, caps: ChannelCaps): SideWrite =>
  sideWrite('reach.cap-counters', async (tx) => {
    if (investorIds.length === 0) return;
    const week = beijingWeek(at);
    const day = beijingDay(at);
    const { rows } = await tx.query<{ investor_id: string }>(
      `INSERT INTO reach_cap_counters AS c (investor_id, channel, week, week_count, day, day_count)
       SELECT r.investor_id, $2, $3::date, r.n, $4::date, r.n
         FROM (SELECT investor_id, count(*)::int AS n FROM unnest($1::text[]) AS u(investor_id) GROUP BY investor_id ORDER BY investor_id) r
        WHERE r.n <= $5 AND r.n <= $6
       ON CONFLICT (investor_id, channel, week) DO UPDATE
          SET week_count = c.week_count + EXCLUDED.week_count,
              day = GREATEST(c.day, EXCLUDED.day),
              day_count = CASE WHEN c.day = EXCLUDED.day THEN c.day_count + EXCLUDED.day_count WHEN c.day > EXCLUDED.day THEN c.day_count ELSE EXCLUDED.day_count END
        WHERE c.week_count + EXCLUDED.week_count <= $5
          AND (c.day <> EXCLUDED.day OR c.day_count + EXCLUDED.day_count <= $6)
       RETURNING c.investor_id`,
      [investorIds, channel, week, day, caps.perWeek, caps.perDay],
    );
    const distinct = new Set(investorIds).size;
    if (rows.length !== distinct) {
      throw new WrongExpectedRevisionError(`reach.cap-counters-${channel}-${week}`, 'any', 'unknown');
    }
  });

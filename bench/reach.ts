import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AdjustableClock, systemContext, uuidv7 } from '@app/common';
import { JsonLogger, loadConfig } from '@app/platform';
import { CampaignRunner, CreateCampaignCommand } from '@app/reach';
import { createApp } from '../apps/api/src/app.factory';
import { ratio, startBenchDatabase } from './support';

/**
 * A campaign's fan-out to BENCH_REACH_INVESTORS (default 1M) investors through the real runner: the segment paged from
 * the growth context's AudienceQuery, the control group held out, consent (G1) checked against the consents read
 * model, and every batch's recipients decided on their cap counters (G2) and appended as one `reach.BatchSent` with the
 * batch checkpoint by one statement per batch (the counters raised in its transaction), REACH_FANOUT_AHEAD batches
 * prepared ahead (BENCH_REACH_AHEAD, default 4). The figure is recipients decided per second (sent, withheld, held
 * out or refused), against the 10k/s target. BENCH_REACH_INVESTORS sets the scale, BENCH_REACH_BATCH the batch size;
 * BENCH_PG_PORT the embedded PostgreSQL's port.
 *
 * Seeded straight into the read models the fan-out reads (growth_investors, reach_consents): they are what the
 * projections would hold after the investors registered and opted in, and 1M registrations through the API would take
 * the bench an hour. The projections run as in production (BENCH_REACH_PROJECTIONS=off turns them off, but then the
 * campaign's start and completion each wait out the read-your-writes timeout), and the run ends when the completion
 * is in the read models: the figure includes the reach projection keeping up with the messages.
 */
const INVESTORS = Number(process.env.BENCH_REACH_INVESTORS ?? 1_000_000);
const CONSENT_SHARE = 0.9;
const TARGET_PER_SECOND = 10_000;

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('reach');
  const clock = new AdjustableClock();
  // 10:00 in Beijing, outside quiet hours (G2), whenever the bench runs.
  clock.set(new Date('2026-12-02T02:00:00.000Z'));
  const config = loadConfig({
    DATA_DIR: '.data/bench',
    JWT_SECRET: 'bench-secret-that-is-at-least-32-characters-long',
    LOG_LEVEL: 'error',
    PROJECTIONS_DISABLED: process.env.BENCH_REACH_PROJECTIONS === 'off' ? 'true' : 'false',
    REACH_TICK_MS: '0',
    REACH_BATCH_SIZE: process.env.BENCH_REACH_BATCH ?? '1000',
    REACH_FANOUT_AHEAD: process.env.BENCH_REACH_AHEAD ?? '4',
  });
  const app = await createApp({ config, databaseUrl: db.url, clock, logger: new JsonLogger('error') });
  await app.init();
  try {
    const data = app.get(DataSource);
    const seedStarted = Date.now();
    await data.query(
      `INSERT INTO growth_investors (investor_id, registered_at) SELECT 'inv-' || lpad(i::text, 8, '0'), '2026-01-01T00:00:00Z' FROM generate_series(1, $1) AS i`,
      [INVESTORS],
    );
    await data.query(
      `INSERT INTO reach_consents (investor_id, channel, granted, via, updated_at)
       SELECT 'inv-' || lpad(i::text, 8, '0'), 'in_app', true, 'settings', '2026-06-01T00:00:00Z' FROM generate_series(1, $1) AS i WHERE i % 10 < $2`,
      [INVESTORS, Math.round(CONSENT_SHARE * 10)],
    );
    await data.query('ANALYZE growth_investors; ANALYZE reach_consents');
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const commands = app.get(CommandBus);
    const campaignId = uuidv7();
    const context = systemContext(clock.now(), uuidv7());
    await commands.execute(
      new CreateCampaignCommand(
        {
          campaignId,
          name: 'bench',
          segment: { kind: 'all_investors' },
          channel: 'in_app',
          template: { title: '今日大盘上涨', body: '打开自选股看看。投资有风险。', productId: null, productFamily: null, incentive: null },
          schedule: { kind: 'once' },
          controlPercent: 10,
          outcome: { kind: 'returned', days: 3 },
        },
        context,
      ),
    );
    const started = Date.now();
    const outcome = await app.get(CampaignRunner).run(campaignId, context);
    const seconds = (Date.now() - started) / 1000;
    const [{ sent, withheld }] = await data.query(
      `SELECT COALESCE(sum(jsonb_array_length(data->'sent')), 0)::int AS sent, COALESCE(sum(jsonb_array_length(data->'withheld')), 0)::int AS withheld
         FROM events WHERE type = 'reach.BatchSent'`,
    );
    const batches: { data: { attempted: number; refused: Record<string, number>; control: string[] } }[] = await data.query(
      `SELECT data FROM events WHERE type = 'reach.CampaignBatchFannedOut'`,
    );
    const control = batches.reduce((n, b) => n + b.data.control.length, 0);
    const refused = batches.reduce((n, b) => n + Object.values(b.data.refused).reduce((a, c) => a + c, 0), 0);
    const perSecond = Math.round(INVESTORS / seconds);
    return {
      investors: INVESTORS,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      batches: outcome.batches,
      status: outcome.status,
      sent,
      withheldAtCaps: withheld,
      controlGroup: control,
      refusedNoConsent: refused,
      fanOutSeconds: Math.round(seconds * 10) / 10,
      recipientsPerSecond: perSecond,
      ratios: { recipientsPerSecondOverTarget10k: ratio(perSecond, TARGET_PER_SECOND) },
    };
  } finally {
    await app.close();
    await db.stop();
  }
}

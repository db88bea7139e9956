import { DataSource } from 'typeorm';
import { ActivityPartitions, AudienceQuery, RFM_SEGMENTS } from '@app/growth';
import { createTestApp, TestApp } from './support/app';
import { auth, level2Listing, publishListing, registerStaff } from './marketplace/fixtures';
import { paymentsSettled, subscribe } from './marketplace/support';

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
};

describe('growth analytics over real data', () => {
  let t: TestApp;
  let db: DataSource;
  let pm: { token: string };
  const shared = { churned: [] as string[], listingId: '', buyers: [] as string[], lookers: [] as string[] };

  beforeAll(async () => {
    t = await createTestApp({ GROWTH_ACTIVITY_RETENTION_DAYS: '400' });
    db = t.app.get(DataSource);
    t.clock.set(new Date('2026-10-15T02:00:00.000Z'));
    pm = await t.register('product_manager');
  });
  afterAll(() => t.close());

  const consenting = async () => {
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(auth(investor.token)).send({ given: true }).expect(200);
    return investor;
  };
  const send = (token: string, events: { type: string; at: string; listingId?: string; productKind?: string }[]) =>
    t.http
      .post('/me/activity')
      .set(auth(token))
      .send({ events: events.map((event, i) => ({ clientEventId: `${event.type}-${event.at}-${i}`, ...event })) })
      .expect(200);

  it('MAU identity over the rollup: retained + new + returned, churned; a late event of last month turns a return into a retention', async () => {
    t.clock.set(new Date('2026-10-15T02:00:00.000Z'));
    const [a, b, c, d] = [await consenting(), await consenting(), await consenting(), await consenting()];
    t.clock.set(new Date('2026-12-02T02:00:00.000Z'));
    const e = await consenting();
    const nov = '2026-11-10T03:00:00.000Z';
    const dec = '2026-12-01T03:00:00.000Z';
    // This month first (b's November activity arrives late), then last month.
    for (const investor of [b, c, d, e]) await send(investor.token, [{ type: 'watchlist_viewed', at: dec }]);
    for (const investor of [a, b, c]) await send(investor.token, [{ type: 'positions_viewed', at: nov }]);
    // logged_in no longer counts as active under definition v2 (from 2026-07-01).
    await send(a.token, [{ type: 'logged_in', at: dec }]);

    const mau = await t.http.get('/growth/mau?month=2026-12-01').set(auth(pm.token)).expect(200);
    expect(mau.body).toMatchObject({
      month: '2026-12-01',
      mauLastMonth: 3,
      mau: 4,
      retained: 2,
      new: 1,
      returned: 1,
      churned: 1,
      identityHolds: true,
    });
    expect(mau.body.mau).toBe(mau.body.mauLastMonth - mau.body.churned + mau.body.new + mau.body.returned);
    expect(mau.body.definitions.map((definition: { version: number }) => definition.version)).toEqual([2]);
    shared.churned = [a.userId];

    const active = await t.http.get('/growth/active-users?day=2026-12-01').set(auth(pm.token)).expect(200);
    expect(active.body).toMatchObject({ dau: 4, mau: 4 });
    const csv = await t.http.get('/growth/mau?month=2026-12-01&format=csv').set(auth(pm.token)).expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['x-activity-definitions']).toBe('v2');
    expect(csv.text.split('\r\n')[1]).toBe('2026-12-01,4,2026-11-01,3,2,1,1,1,true,v2');
  });

  it('the analytics are for the product team only', async () => {
    const investor = await t.register();
    await t.http.get('/growth/mau').set(auth(investor.token)).expect(403);
    await t.http.get('/growth/mau').expect(401);
  });

  it('a funnel per product kind from app activity and real purchases; RFM and revenue from the captured payments', async () => {
    t.clock.set(new Date('2026-12-02T02:00:00.000Z'));
    const staff = await registerStaff(t);
    const listingId = await publishListing(t, staff, level2Listing());
    const at = (hour: number) => `2026-12-02T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const buyers = [await consenting(), await consenting()];
    const lookers = [await consenting(), await consenting()];
    for (const investor of [...buyers, ...lookers]) await send(investor.token, [{ type: 'listing_viewed', at: at(0), listingId }]);
    for (const investor of buyers)
      await send(investor.token, [
        { type: 'watchlist_added', at: at(1), listingId },
        { type: 'rules_read', at: at(3), listingId },
      ]);
    t.clock.set(new Date(at(5)));
    for (const investor of buyers) await subscribe(t, investor.token, { listingId, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    await until('the feed to record both purchases', async () => {
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM growth_funnel WHERE product_kind = 'level2_data' AND transacted_at IS NOT NULL`,
      );
      const [{ p }] = await db.query('SELECT count(*)::int AS p FROM growth_rfm');
      return n === 2 && p === 2;
    });

    const funnel = await t.http.get('/growth/funnel?productKind=level2_data&from=2026-12-01&to=2026-12-03').set(auth(pm.token)).expect(200);
    const stages = Object.fromEntries(funnel.body.stages.map((stage: { stage: string }) => [stage.stage, stage]));
    expect(stages.aware).toMatchObject({ investors: 4, conversionFromPrevious: null });
    expect(stages.interested).toMatchObject({ investors: 2, conversionFromPrevious: 0.5, medianHoursFromPrevious: 1 });
    expect(stages.learned_rules).toMatchObject({ investors: 2, conversionFromPrevious: 1, medianHoursFromPrevious: 2 });
    // The purchase request (准备资料) two hours after the rules implies the trial stage then (nobody simulated first).
    expect(stages.tried).toMatchObject({ investors: 2, medianHoursFromPrevious: 2 });
    expect(stages.prepared).toMatchObject({ investors: 2, medianHoursFromPrevious: 0 });
    expect(stages.transacted).toMatchObject({ investors: 2, conversionFromPrevious: 1 });

    const refreshed = await t.http.post('/growth/rfm/refresh').set(auth(pm.token)).expect(200);
    const total = refreshed.body.segments.reduce((sum: number, segment: { investors: number }) => sum + segment.investors, 0);
    expect(total).toBe(2);
    Object.assign(shared, { listingId, buyers: buyers.map((b) => b.userId).sort(), lookers: lookers.map((l) => l.userId).sort() });
    const revenue = await t.http.get('/growth/revenue?from=2026-12-01&to=2026-12-01').set(auth(pm.token)).expect(200);
    expect(revenue.body.rows).toEqual([
      { month: '2026-12-01', family: 'value_added', kind: 'level2_data', currency: 'CNY', amountMinor: 6000, payments: 2 },
    ]);
  });

  it('the audiences reach and rewards ask for: holders, a funnel stage, RFM segments, churned last month, pages by id', async () => {
    const audience = t.app.get(AudienceQuery);
    const asOf = new Date('2026-12-02T12:00:00.000Z');
    expect(await audience.page({ kind: 'holders', listingId: shared.listingId }, asOf, null, 10)).toEqual(shared.buyers);
    expect(await audience.page({ kind: 'funnel_stage', productKind: 'level2_data', stage: 'aware' }, asOf, null, 10)).toEqual(
      shared.lookers,
    );
    const scored = (await Promise.all(RFM_SEGMENTS.map((segment) => audience.page({ kind: 'rfm', segment }, asOf, null, 10))))
      .flat()
      .sort();
    expect(scored).toEqual(shared.buyers);
    expect(await audience.page({ kind: 'churned_last_month' }, asOf, null, 10)).toEqual(shared.churned);
    const first = await audience.page({ kind: 'all_investors' }, asOf, null, 3);
    const next = await audience.page({ kind: 'all_investors' }, asOf, first[2], 3);
    expect(first).toHaveLength(3);
    expect(next[0] > first[2]).toBe(true);
  });

  it('G7: the retention job drops whole day partitions older than the period, and older activity is not accepted', async () => {
    const partitions = t.app.get(ActivityPartitions);
    t.clock.set(new Date('2026-12-02T02:00:00.000Z'));
    const investor = await consenting();
    await send(investor.token, [{ type: 'watchlist_viewed', at: '2026-12-02T01:00:00.000Z' }]);
    expect(await partitions.existing()).toContain('growth_activity_p20261202');
    t.clock.set(new Date('2028-01-20T02:00:00.000Z'));
    const outcome = await partitions.maintain();
    expect(outcome.dropped).toContain('growth_activity_p20261202');
    expect(await partitions.existing()).not.toContain('growth_activity_p20261202');
    expect(await partitions.existing()).toContain('growth_activity_p20280127');
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM growth_activity WHERE investor_id = $1', [investor.userId]);
    expect(n).toBe(0);
    const late = await send(investor.token, [{ type: 'watchlist_viewed', at: '2026-12-03T01:00:00.000Z' }]);
    expect(late.body).toMatchObject({ recorded: 0, outsideRetention: 1 });
  });
});

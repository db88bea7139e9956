import { randomUUID } from 'node:crypto';
import { PgEventStore } from '@app/event-store';
import { SandboxMarketData } from '@app/market-data';
import { RewardsJobs } from '@app/rewards';
import { createTestApp, TestApp } from './support/app';
import { advisoryListing, auth, level2Listing, publishListing, registerStaff, Staff } from './marketplace/fixtures';
import { key, subscribe } from './marketplace/support';

const RULES = [
  { ruleId: 'CHECKIN-LOGIN', effectiveFrom: '2020-01-01', activityTypes: ['logged_in'], description: 'log in on the day' },
  {
    ruleId: 'CHECKIN-VIEW',
    effectiveFrom: '2026-12-10',
    activityTypes: ['watchlist_viewed', 'positions_viewed'],
    description: 'view your watchlist or positions on the day',
  },
];

describe('rewards: check-in, points, redemption, budgets and the up/down game (e2e, G5, V2)', () => {
  let t: TestApp;
  let staff: Staff;
  let level2: string;
  let advisory: string;

  beforeAll(async () => {
    t = await createTestApp({
      GROWTH_FEED_DISABLED: 'true',
      SUBSCRIPTION_JOB_INTERVAL_MS: '0',
      REWARDS_JOB_INTERVAL_MS: '0',
      REWARDS_CHECKIN_RULES: JSON.stringify(RULES),
      REWARDS_CHECKIN_TABLE: JSON.stringify({ basePoints: 200, bonuses: [{ streakDays: 3, points: 400 }] }),
      REWARDS_REDEMPTION_OPTIONS: JSON.stringify([
        { optionId: 'cny-10', points: 1000, amountOff: { amountMinor: 1000, currency: 'CNY' }, validDays: 30 },
      ]),
    });
    t.clock.set(new Date('2026-12-02T04:00:00.000Z')); // 12:00 in Beijing, Wednesday
    staff = await registerStaff(t);
    level2 = await publishListing(t, staff, level2Listing());
    advisory = await publishListing(t, staff, advisoryListing());
  });
  afterAll(() => t.close());

  const activity = (token: string, type: string, at: string) =>
    t.http
      .post('/me/activity')
      .set(auth(token))
      .send({ events: [{ clientEventId: `${type}-${at}`, type, at }] })
      .expect(200);
  const checkIn = (token: string) => t.http.post('/me/check-ins').set(auth(token));
  const redeem = (token: string, body: Record<string, unknown>, idempotencyKey = key()) =>
    t.http.post('/me/points/redemptions').set(auth(token)).set('Idempotency-Key', idempotencyKey).send(body);
  const points = async (token: string) => (await t.http.get('/me/points').set(auth(token)).expect(200)).body;
  const countEvents = async (type: string, like = '%') =>
    Number(
      (
        await t.app
          .get(PgEventStore)
          .pool.query(`SELECT count(*)::int AS n FROM events WHERE type = $1 AND stream_id LIKE $2`, [type, like])
      ).rows[0].n,
    );

  it('check-in on the qualifying activity → points → redemption (value-added only) → a discounted subscription', async () => {
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(auth(investor.token)).send({ given: true }).expect(200);

    // No login recorded today: refused, naming the check-in rule in force.
    const refused = await checkIn(investor.token).expect(422);
    expect(refused.body).toMatchObject({
      code: 'CHECKIN.NOT_QUALIFIED',
      details: { qualifyingRule: { ruleId: 'CHECKIN-LOGIN' }, day: '2026-12-02' },
    });

    await activity(investor.token, 'logged_in', '2026-12-02T03:00:00.000Z');
    expect((await checkIn(investor.token).expect(201)).body).toMatchObject({
      day: '2026-12-02',
      streak: 1,
      points: 200,
      qualifyingRule: { ruleId: 'CHECKIN-LOGIN' },
    });
    expect((await checkIn(investor.token).expect(409)).body.code).toBe('CHECKIN.ALREADY_TODAY');

    // 16:00 UTC is midnight in Beijing: a new day, and yesterday's login does not count for it.
    t.clock.set(new Date('2026-12-02T16:00:00.000Z'));
    expect((await checkIn(investor.token).expect(422)).body.code).toBe('CHECKIN.NOT_QUALIFIED');
    await activity(investor.token, 'logged_in', '2026-12-02T16:00:00.000Z');
    expect((await checkIn(investor.token).expect(201)).body).toMatchObject({ day: '2026-12-03', streak: 2, points: 200 });

    t.clock.set(new Date('2026-12-04T01:00:00.000Z'));
    await activity(investor.token, 'logged_in', '2026-12-04T00:30:00.000Z');
    expect((await checkIn(investor.token).expect(201)).body).toMatchObject({
      day: '2026-12-04',
      streak: 3,
      basePoints: 200,
      bonusPoints: 400,
      points: 600,
    });

    const ledger = await points(investor.token);
    expect(ledger).toMatchObject({ balance: 1000, lots: [{ remaining: 200 }, { remaining: 200 }, { remaining: 600 }] });
    expect(ledger.history.map((entry: { kind: string; points: number }) => [entry.kind, entry.points])).toEqual([
      ['awarded', 600],
      ['awarded', 200],
      ['awarded', 200],
    ]);

    // V2: never on an advisory listing, and nothing is spent.
    const advisoryRefused = await redeem(investor.token, { optionId: 'cny-10', listingId: advisory }).expect(422);
    expect(advisoryRefused.body).toMatchObject({ code: 'REWARDS.NOT_FOR_ADVISORY', rule: 'V2' });
    expect((await points(investor.token)).balance).toBe(1000);

    const redeemed = await redeem(investor.token, { optionId: 'cny-10', listingId: level2 }).expect(201);
    expect(redeemed.body).toMatchObject({ pointsSpent: 1000, amountOffMinor: 1000, currency: 'CNY', balance: 0, listingId: level2 });
    const couponCode = redeemed.body.couponCode as string;
    expect(await countEvents('value-added.CouponIssued', `value-added.coupon-${couponCode}`)).toBe(1);

    // G5: the ledger never goes negative.
    expect((await redeem(investor.token, { optionId: 'cny-10', listingId: level2 }).expect(422)).body).toMatchObject({
      code: 'POINTS.INSUFFICIENT',
      rule: 'G5',
    });

    // The coupon is this investor's alone, single-use, and lowers the price of the value-added subscription.
    const other = await t.register();
    expect((await subscribe(t, other.token, { listingId: level2, planId: 'monthly', couponCode }).expect(403)).body.code).toBe(
      'COUPON.NOT_YOURS',
    );
    const subscribed = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly', couponCode }).expect(201);
    expect(subscribed.body).toMatchObject({ amountMinor: 2000, currency: 'CNY' });
    expect((await points(investor.token)).history[0]).toMatchObject({
      kind: 'spent',
      points: -1000,
      detail: { purpose: { kind: 'value_added_discount', couponCode } },
    });
  });

  it('the qualifying activity changes on its effective date: later a watchlist or positions view, not a login', async () => {
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(auth(investor.token)).send({ given: true }).expect(200);
    t.clock.set(new Date('2026-12-10T02:00:00.000Z'));
    await activity(investor.token, 'logged_in', '2026-12-10T01:00:00.000Z');
    const refused = await checkIn(investor.token).expect(422);
    expect(refused.body).toMatchObject({
      code: 'CHECKIN.NOT_QUALIFIED',
      details: { qualifyingRule: { ruleId: 'CHECKIN-VIEW', activityTypes: ['watchlist_viewed', 'positions_viewed'] } },
    });
    await activity(investor.token, 'positions_viewed', '2026-12-10T01:30:00.000Z');
    expect((await checkIn(investor.token).expect(201)).body).toMatchObject({ qualifyingRule: { ruleId: 'CHECKIN-VIEW' }, streak: 1 });
  });

  it('G5: a campaign budget is never overspent by many concurrent awards', async () => {
    await t.http
      .post('/rewards/campaigns/spring/budget')
      .set(auth(staff.pm.token))
      .send({ points: 1000, money: { amountMinor: 0, currency: 'CNY' } })
      .expect(201);
    const award = (investorId: string, awardId: string) =>
      t.http.post('/rewards/campaigns/spring/awards').set(auth(staff.pm.token)).send({ investorId, awardId, points: 50 });
    const requests = Array.from({ length: 40 }, (_, i) => ({ investorId: randomUUID(), awardId: `burst-${i}` }));
    const responses = await Promise.all(requests.map((r) => award(r.investorId, r.awardId)));
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    expect(responses.every((r) => [201, 409, 422].includes(r.status))).toBe(true);
    // Any request that lost every retry (409) is sent again, one at a time: the budget still holds.
    for (const [i, response] of responses.entries()) {
      if (response.status === 409) responses[i] = await award(requests[i].investorId, requests[i].awardId);
    }
    const granted = responses.filter((r) => r.status === 201).length;
    expect(granted).toBe(20);
    expect(responses.filter((r) => r.status === 422).every((r) => r.body.code === 'BUDGET.EXHAUSTED' && r.body.rule === 'G5')).toBe(true);
    const budget = await t.http.get('/rewards/campaigns/spring/budget').set(auth(staff.pm.token)).expect(200);
    expect(budget.body.points).toEqual({ limit: 1000, spent: 1000, left: 0 });
    expect(await countEvents('rewards.BudgetCharged', 'rewards.budget-spring')).toBe(20);
    const awarded = await t.app
      .get(PgEventStore)
      .pool.query(
        `SELECT coalesce(sum((data->>'points')::int), 0)::int AS n FROM events WHERE type = 'rewards.PointsAwarded' AND data->'source'->>'campaignId' = 'spring'`,
      );
    expect(awarded.rows[0].n).toBe(1000);

    // G5: a repeated award id awards nothing more.
    const first = responses.findIndex((r) => r.status === 201);
    await award(requests[first].investorId, requests[first].awardId).expect(201);
    expect(await countEvents('rewards.PointsAwarded', `rewards.points-${requests[first].investorId}`)).toBe(1);
  });

  it('G5: points expire first in, first out, by the expiry job', async () => {
    const investor = await t.register();
    t.clock.set(new Date('2027-01-05T02:00:00.000Z'));
    await t.http
      .post('/rewards/campaigns/expiry/budget')
      .set(auth(staff.pm.token))
      .send({ points: 1000, money: { amountMinor: 0, currency: 'CNY' } })
      .expect(201);
    await t.http
      .post('/rewards/campaigns/expiry/awards')
      .set(auth(staff.pm.token))
      .send({ investorId: investor.userId, awardId: 'old', points: 100 })
      .expect(201);
    t.clock.set(new Date('2027-03-05T02:00:00.000Z'));
    await t.http
      .post('/rewards/campaigns/expiry/awards')
      .set(auth(staff.pm.token))
      .send({ investorId: investor.userId, awardId: 'new', points: 40 })
      .expect(201);
    t.clock.set(new Date('2028-01-06T02:00:00.000Z')); // the first lot is past its 365 days, the second is not
    expect((await points(investor.token)).balance).toBe(40);
    const run = await t.app.get(RewardsJobs).runOnce();
    expect(run.pointsExpired).toBeGreaterThanOrEqual(100);
    const ledger = await points(investor.token);
    expect(ledger).toMatchObject({ balance: 40, lots: [{ lotId: 'campaign:expiry:new', remaining: 40 }] });
    expect(ledger.history[0]).toMatchObject({ kind: 'expired', points: -100 });
    expect((await t.app.get(RewardsJobs).runOnce()).pointsExpired).toBe(0);
  });

  it('猜涨跌: predictions before the cut-off, settled from the feed exactly once, points to the winners only', async () => {
    const [a, b, c] = [await t.register(), await t.register(), await t.register()];
    t.clock.set(new Date('2028-01-06T01:00:00.000Z')); // Thursday 09:00 in Beijing; the cut-off is 09:30
    const predict = (token: string, direction: string) =>
      t.http.post('/games/up-down/predictions').set(auth(token)).send({ indexCode: '000300.SH', direction });
    const round = (await predict(a.token, 'up').expect(201)).body;
    expect(round).toMatchObject({ roundId: '000300.SH-2028-01-06', cutoffAt: '2028-01-06T01:30:00.000Z', rewardPoints: 20 });
    await predict(b.token, 'down').expect(201);
    await predict(c.token, 'up').expect(201);
    expect((await predict(a.token, 'down').expect(409)).body.code).toBe('UPDOWN.ALREADY_PREDICTED');
    t.clock.set(new Date('2028-01-06T01:30:00.000Z'));
    expect((await predict(b.token, 'up').expect(409)).body.code).toBe('UPDOWN.ROUND_CLOSED');

    t.clock.set(new Date('2028-01-06T08:00:00.000Z'));
    const settle = () => t.http.post(`/games/up-down/rounds/${round.roundId}/settlement`).set(auth(staff.pm.token));
    expect((await settle().expect(409)).body.code).toBe('UPDOWN.NO_CLOSE_YET');
    // A level during the session settles nothing; the official close does.
    t.app.get(SandboxMarketData).setIndexDay('000300.SH', '2028-01-06', 3900, 3925);
    expect((await settle().expect(409)).body.code).toBe('UPDOWN.NO_CLOSE_YET');
    t.app.get(SandboxMarketData).publishClose('000300.SH', '2028-01-06', 3900, 3950.12);
    const results = await Promise.all([settle(), settle(), settle(), settle(), t.app.get(RewardsJobs).runOnce()]);
    for (const result of results.slice(0, 4)) expect((result as { status: number }).status).toBe(200);
    expect(await countEvents('rewards.UpDownRoundSettled', `rewards.up-down-${round.roundId}`)).toBe(1);
    expect(await countEvents('rewards.PointsAwarded', `rewards.points-${a.userId}`)).toBe(1);
    expect(await countEvents('rewards.PointsAwarded', `rewards.points-${b.userId}`)).toBe(0);
    expect((await points(a.token)).balance).toBe(20);
    expect((await points(c.token)).balance).toBe(20);
    expect((await points(b.token)).balance).toBe(0);
    const summary = await t.http.get(`/games/up-down/rounds/${round.roundId}`).set(auth(a.token)).expect(200);
    expect(summary.body).toMatchObject({ status: 'settled', outcome: 'up', winners: 2, predictions: { up: 2, down: 1 } });
  });

  it('only product managers run campaigns; investors cannot award themselves', async () => {
    const investor = await t.register();
    await t.http
      .post('/rewards/campaigns/spring/awards')
      .set(auth(investor.token))
      .send({ investorId: investor.userId, awardId: 'self', points: 50 })
      .expect(403);
    await t.http
      .post('/rewards/campaigns/Bad Id/budget')
      .set(auth(staff.pm.token))
      .send({ points: 1, money: { amountMinor: 0, currency: 'CNY' } })
      .expect(400);
  });

  // Last: it opens the built-in campaigns' budgets, which then limit every check-in and redemption of this app.
  it('G5: the built-in tools charge their campaign budgets once opened, all or nothing; a redemption replays by its Idempotency-Key', async () => {
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(auth(investor.token)).send({ given: true }).expect(200);
    t.clock.set(new Date('2028-02-01T02:00:00.000Z'));
    await t.http
      .post('/rewards/campaigns/bonus/budget')
      .set(auth(staff.pm.token))
      .send({ points: 5000, money: { amountMinor: 0, currency: 'CNY' } })
      .expect(201);
    await t.http
      .post('/rewards/campaigns/bonus/awards')
      .set(auth(staff.pm.token))
      .send({ investorId: investor.userId, awardId: 'b-1', points: 2000 })
      .expect(201);

    // Money: ¥15 of discounts covers one ¥10 redemption, not two.
    await t.http
      .post('/rewards/campaigns/points-redemption/budget')
      .set(auth(staff.pm.token))
      .send({ points: 0, money: { amountMinor: 1500, currency: 'CNY' } })
      .expect(201);
    const couponsBefore = await countEvents('value-added.CouponIssued', 'value-added.coupon-PTS-%');
    const k = key();
    const first = await redeem(investor.token, { optionId: 'cny-10', listingId: level2 }, k).expect(201);
    const again = await redeem(investor.token, { optionId: 'cny-10', listingId: level2 }, k).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await points(investor.token)).balance).toBe(1000);
    const refused = await redeem(investor.token, { optionId: 'cny-10', listingId: level2 }).expect(422);
    expect(refused.body).toMatchObject({ code: 'BUDGET.EXHAUSTED', rule: 'G5' });
    expect((await points(investor.token)).balance).toBe(1000); // nothing half-written: no spend without the coupon and the charge
    expect(await countEvents('value-added.CouponIssued', 'value-added.coupon-PTS-%')).toBe(couponsBefore + 1);

    // Points: 250 covers one 200-point check-in; the next day's is refused and awards nothing.
    await t.http
      .post('/rewards/campaigns/check-in/budget')
      .set(auth(staff.pm.token))
      .send({ points: 250, money: { amountMinor: 0, currency: 'CNY' } })
      .expect(201);
    await activity(investor.token, 'positions_viewed', '2028-02-01T01:00:00.000Z');
    await checkIn(investor.token).expect(201);
    t.clock.set(new Date('2028-02-02T02:00:00.000Z'));
    await activity(investor.token, 'watchlist_viewed', '2028-02-02T01:00:00.000Z');
    expect((await checkIn(investor.token).expect(422)).body).toMatchObject({ code: 'BUDGET.EXHAUSTED', rule: 'G5' });
    expect((await points(investor.token)).balance).toBe(1200);
    expect(await countEvents('rewards.CheckedIn', `rewards.check-in-${investor.userId}`)).toBe(1);
  });
});

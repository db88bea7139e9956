import { PgEventStore } from '@app/event-store';
import { SubscriptionJobs } from '@app/value-added';
import { createTestApp, TestApp } from '../support/app';
import { auth, level2Listing, publishListing, registerStaff, Staff } from './fixtures';
import { DAY, entitlements, key, paymentsSettled, subscribe } from './support';

describe('subscriptions, entitlements and renewals (e2e)', () => {
  let t: TestApp;
  let staff: Staff;
  let level2: string;

  beforeAll(async () => {
    t = await createTestApp({
      PAYMENTS_SANDBOX_DUPLICATE_RATE: '1',
      PAYMENTS_SANDBOX_REORDER_RATE: '0.5',
      SUBSCRIPTION_JOB_INTERVAL_MS: '0',
    });
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
    staff = await registerStaff(t);
    level2 = await publishListing(t, staff, level2Listing());
  });
  afterAll(() => t.close());

  it('subscribe → pay → entitled → cancel at period end → still entitled → expired after the period', async () => {
    const investor = await t.register();
    await t.http
      .get('/market/level2/600519.SH')
      .set(auth(investor.token))
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('ENTITLEMENT.REQUIRED'));

    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    expect(created.body).toMatchObject({ status: 'pending', amountMinor: 3000 });
    await paymentsSettled(t);
    await t.catchUp();
    const payment = await t.http.get(`/payments/${created.body.paymentId}`).set(auth(investor.token)).expect(200);
    expect(payment.body).toMatchObject({ status: 'captured', payee: 'company:settlement', capturedMinor: 3000 });
    expect((await entitlements(t, investor.token)).map((e) => e.feature)).toEqual(['level2.quotes']);
    await t.http.get('/market/level2/600519.SH').set(auth(investor.token)).expect(200);

    const canceled = await t.http
      .post(`/subscriptions/${created.body.subscriptionId}/cancel`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({ mode: 'at_period_end' })
      .expect(200);
    expect(canceled.body).toMatchObject({ cancelAtPeriodEnd: true, accessUntil: '2026-12-01T02:00:00.000Z' });

    t.clock.set(new Date('2026-11-30T00:00:00.000Z'));
    expect(await entitlements(t, investor.token)).toHaveLength(1);
    t.clock.set(new Date('2026-12-01T02:00:00.000Z'));
    const run = await t.app.get(SubscriptionJobs).runOnce();
    expect(run.expired).toBeGreaterThanOrEqual(1);
    expect(await entitlements(t, investor.token)).toEqual([]);
    await t.http.get('/market/level2/600519.SH').set(auth(investor.token)).expect(403);
    const mine = await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200);
    expect(mine.body[0]).toMatchObject({ status: 'expired' });
    // Point in time: the log still answers for mid-November.
    expect(await entitlements(t, investor.token, '2026-11-15T00:00:00.000Z')).toHaveLength(1);
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
  });

  it('uncancel before the end keeps the subscription renewing', async () => {
    const investor = await t.register();
    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    await t.http
      .post(`/subscriptions/${created.body.subscriptionId}/cancel`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({ mode: 'at_period_end' })
      .expect(200);
    const uncanceled = await t.http.post(`/subscriptions/${created.body.subscriptionId}/uncancel`).set(auth(investor.token)).expect(200);
    expect(uncanceled.body).toMatchObject({ cancelAtPeriodEnd: false, status: 'active' });
  });

  it('the renewal job run twice concurrently renews a period once', async () => {
    const investor = await t.register();
    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    await t.catchUp();
    t.clock.set(new Date('2026-12-01T02:00:00.000Z'));
    const jobs = t.app.get(SubscriptionJobs);
    const runs = await Promise.all([jobs.runOnce(), jobs.runOnce(), jobs.runOnce()]);
    await paymentsSettled(t);
    await t.catchUp();
    const { rows } = await t.app
      .get(PgEventStore)
      .pool.query(`SELECT type FROM events WHERE stream_id LIKE $1 AND type = 'value-added.RenewalRequested'`, [`%${investor.userId}%`]);
    expect(rows).toHaveLength(1);
    expect(runs.reduce((sum, run) => sum + run.renewalsRequested, 0)).toBeGreaterThanOrEqual(1);
    const payments = await t.http.get('/me/payments').set(auth(investor.token)).expect(200);
    expect(payments.body.filter((payment: { purpose: string }) => payment.purpose === 'renewal')).toHaveLength(1);
    const mine = await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200);
    const subscription = mine.body.find((row: { subscriptionId: string }) => row.subscriptionId === created.body.subscriptionId);
    expect(subscription).toMatchObject({ status: 'active', periodEnd: '2027-01-01T02:00:00.000Z' });
    // A second pass over the same period finds nothing to renew.
    expect((await jobs.runOnce()).renewalsRequested).toBe(0);
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
  });

  it('a declined first payment cancels the subscription without access', async () => {
    const declined = await t.register();
    await subscribe(t, declined.token, { listingId: level2, planId: 'monthly', paymentMethod: 'sandbox_decline' }).expect(201);
    await paymentsSettled(t);
    await t.catchUp();
    const failed = (await t.http.get('/me/subscriptions').set(auth(declined.token)).expect(200)).body[0];
    expect(failed.status).toBe('canceled');
    expect(await entitlements(t, declined.token)).toEqual([]);
  });

  it('a declined renewal makes the subscription past_due with a grace period, then expired', async () => {
    const investor = await t.register();
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
    await subscribe(t, investor.token, { listingId: level2, planId: 'monthly', paymentMethod: 'sandbox_card_expires_2026-11-20' }).expect(
      201,
    );
    await paymentsSettled(t);
    await t.catchUp();
    t.clock.set(new Date('2026-12-01T02:00:00.000Z'));
    const jobs = t.app.get(SubscriptionJobs);
    await jobs.runOnce();
    await paymentsSettled(t);
    await t.catchUp();
    const pastDue = (await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200)).body[0];
    expect(pastDue).toMatchObject({ status: 'past_due', graceEndsAt: '2026-12-04T02:00:00.000Z' });
    t.clock.set(new Date('2026-12-03T00:00:00.000Z'));
    expect(await entitlements(t, investor.token)).toHaveLength(1);
    await jobs.runOnce();
    t.clock.set(new Date('2026-12-04T02:00:00.000Z'));
    await jobs.runOnce();
    const expired = (await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200)).body[0];
    expect(expired.status).toBe('expired');
    expect(await entitlements(t, investor.token)).toEqual([]);
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
  });

  it('immediate cancellation with a prorated refund ends access now and refunds the unused share', async () => {
    const investor = await t.register();
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    t.clock.set(new Date('2026-11-16T02:00:00.000Z'));
    const canceled = await t.http
      .post(`/subscriptions/${created.body.subscriptionId}/cancel`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({ mode: 'immediately', refundMode: 'prorated' })
      .expect(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', refund: { amountMinor: 1500 } });
    await paymentsSettled(t);
    await t.catchUp();
    const payment = await t.http.get(`/payments/${created.body.paymentId}`).set(auth(investor.token)).expect(200);
    expect(payment.body).toMatchObject({ refundedMinor: 1500 });
    expect(await entitlements(t, investor.token)).toEqual([]);
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
  });

  it('a trial grants access at once, is charged at its end, and is offered once per investor and product', async () => {
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
    const trialListing = await publishListing(
      t,
      staff,
      level2Listing({
        title: 'Level-2 试用',
        plans: [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month', trialDays: 7 }],
      }),
    );
    const investor = await t.register();
    const trial = await subscribe(t, investor.token, { listingId: trialListing, planId: 'monthly' }).expect(201);
    expect(trial.body).toMatchObject({ status: 'trialing', paymentId: null, periodEnd: '2026-11-08T02:00:00.000Z' });
    expect(await entitlements(t, investor.token)).toHaveLength(1);

    t.clock.set(new Date('2026-11-08T02:00:00.000Z'));
    await t.app.get(SubscriptionJobs).runOnce();
    await paymentsSettled(t);
    await t.catchUp();
    const [charged] = (await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200)).body;
    expect(charged).toMatchObject({ status: 'active', periodStart: '2026-11-08T02:00:00.000Z', periodEnd: '2026-12-08T02:00:00.000Z' });

    await t.http
      .post(`/subscriptions/${trial.body.subscriptionId}/cancel`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({ mode: 'immediately', refundMode: 'none' })
      .expect(200);
    const again = await subscribe(t, investor.token, { listingId: trialListing, planId: 'monthly' }).expect(201);
    expect(again.body).toMatchObject({ status: 'pending', amountMinor: 3000 });
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
  });

  it('L1: a retired listing is not renewed; its subscribers keep access to the end of the paid period', async () => {
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
    const retiring = await publishListing(t, staff, level2Listing({ title: 'Level-2 旧版' }));
    const investor = await t.register();
    await subscribe(t, investor.token, { listingId: retiring, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    await t.http
      .post(`/catalog/listings/${retiring}/retire`)
      .set(auth(staff.pm.token))
      .send({ reason: 'replaced by the new Level-2 product' })
      .expect(200);
    t.clock.set(new Date('2026-12-01T01:30:00.000Z'));
    const jobs = t.app.get(SubscriptionJobs);
    await jobs.runOnce();
    const [ending] = (await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200)).body;
    expect(ending).toMatchObject({ status: 'active', cancelAtPeriodEnd: true, pendingPaymentId: null });
    expect(await entitlements(t, investor.token)).toHaveLength(1);
    t.clock.set(new Date('2026-12-01T02:00:00.000Z'));
    await jobs.runOnce();
    expect((await t.http.get('/me/subscriptions').set(auth(investor.token)).expect(200)).body[0].status).toBe('expired');
    expect(await entitlements(t, investor.token)).toEqual([]);
    t.clock.set(new Date('2026-11-01T02:00:00.000Z'));
  });

  it('an immediate cancellation without a refund mode is refused', async () => {
    const investor = await t.register();
    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    await t.http
      .post(`/subscriptions/${created.body.subscriptionId}/cancel`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({ mode: 'immediately' })
      .expect(400);
  });

  it('compliance reads any investor’s entitlements at a past instant', async () => {
    const investor = await t.register();
    await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    const asOf = new Date(t.clock.now().getTime() + DAY).toISOString();
    const view = await t.http
      .get(`/value-added/investors/${investor.userId}/entitlements?at=${asOf}`)
      .set(auth(staff.compliance.token))
      .expect(200);
    expect(view.body.entitlements.map((e: { feature: string }) => e.feature)).toEqual(['level2.quotes']);
    await t.http.get(`/value-added/investors/${investor.userId}/entitlements`).set(auth(investor.token)).expect(403);
  });

  it('the scheduled run happens on one instance at a time: while another holds the job lock, this one skips the tick', async () => {
    const jobs = t.app.get(SubscriptionJobs);
    const store = t.app.get(PgEventStore);
    const holder = await store.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query("SELECT pg_advisory_xact_lock(hashtext('value-added.subscription-jobs'))");
      expect(await jobs.runScheduled()).toBeUndefined();
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    expect(await jobs.runScheduled()).toEqual({
      renewalsRequested: expect.any(Number),
      expired: expect.any(Number),
      skipped: expect.any(Number),
    });
  });
});

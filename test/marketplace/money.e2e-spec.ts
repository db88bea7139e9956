import { PgEventStore } from '@app/event-store';
import { GatewayNotification, signNotification } from '@app/payments';
import { APP_CONFIG, IdempotencyService, ProjectionRunner } from '@app/platform';
import { createTestApp, TestApp } from '../support/app';
import { advisoryListing, auth, level2Listing, publishListing, registerStaff, Staff } from './fixtures';
import { key, paymentsSettled, subscribe } from './support';

const SECRET = 'sandbox-secret-for-tests';

describe('idempotency, refunds, tipping and coupons (e2e)', () => {
  let t: TestApp;
  let staff: Staff;
  let level2: string;
  let stream: string;
  let advisory: string;

  beforeAll(async () => {
    t = await createTestApp({
      PAYMENTS_SANDBOX_SECRET: SECRET,
      TIP_MIN_MINOR: '100',
      TIP_MAX_MINOR: '5000',
      TIP_DAILY_CAP_MINOR: '8000',
      SUBSCRIPTION_JOB_INTERVAL_MS: '0',
    });
    staff = await registerStaff(t);
    level2 = await publishListing(t, staff, level2Listing());
    stream = await publishListing(
      t,
      staff,
      level2Listing({
        kind: 'live_stream_tipping_target',
        title: '每晚直播复盘',
        plans: [{ planId: 'free', name: '免费', priceMinor: 0, currency: 'CNY', billingPeriod: 'one_off' }],
      }),
    );
    advisory = await publishListing(t, staff, advisoryListing());
  });
  afterAll(() => t.close());

  const countEvents = async (type: string, like: string) =>
    Number(
      (
        await t.app
          .get(PgEventStore)
          .pool.query(`SELECT count(*)::int AS n FROM events WHERE type = $1 AND stream_id LIKE $2`, [type, like])
      ).rows[0].n,
    );

  describe('idempotency on money-moving POSTs', () => {
    it('no Idempotency-Key → 400', async () => {
      const investor = await t.register();
      const response = await t.http
        .post('/subscriptions')
        .set(auth(investor.token))
        .send({ listingId: level2, planId: 'monthly' })
        .expect(400);
      expect(response.body.code).toBe('IDEMPOTENCY.KEY_REQUIRED');
    });

    it('same key and body → the first response again, marked as a replay; the key is in the event metadata', async () => {
      const investor = await t.register();
      const k = key();
      const first = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }, k).expect(201);
      expect(first.headers['idempotent-replayed']).toBe('false');
      const again = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }, k).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      const { rows } = await t.app
        .get(PgEventStore)
        .pool.query(`SELECT metadata FROM events WHERE type = $1 AND data->>'subscriptionId' = $2`, [
          'value-added.SubscriptionRequested',
          first.body.subscriptionId,
        ]);
      // One request recorded (the replay wrote nothing), carrying the key. Events the payment outcome writes later for
      // the same subscription are the system's, not the request's, and carry no key.
      expect(rows).toHaveLength(1);
      expect(rows[0].metadata.idempotencyKey).toBe(k);
    });

    it('same key, different body → 422', async () => {
      const investor = await t.register();
      const k = key();
      await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }, k).expect(201);
      const reused = await subscribe(
        t,
        investor.token,
        { listingId: level2, planId: 'monthly', paymentMethod: 'sandbox_decline' },
        k,
      ).expect(422);
      expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    });

    it('keys are scoped per user: another investor may use the same key', async () => {
      const k = key();
      const a = await t.register();
      const b = await t.register();
      await subscribe(t, a.token, { listingId: level2, planId: 'monthly' }, k).expect(201);
      const other = await subscribe(t, b.token, { listingId: level2, planId: 'monthly' }, k).expect(201);
      expect(other.headers['idempotent-replayed']).toBe('false');
    });

    it('a duplicate arriving while the first is still running gets 409; records expire after their retention', async () => {
      const idempotency = t.app.get(IdempotencyService);
      const context = {
        actor: { id: 'user-x', roles: ['investor'] },
        correlationId: 'c',
        channel: 'api' as const,
        now: t.clock.now(),
        idempotencyKey: key(),
      };
      const request = { method: 'POST', path: '/tips', body: { amountMinor: 1 } };
      let release!: () => void;
      const gate = new Promise<void>((done) => (release = done));
      const first = idempotency.run(context, request, 201, async () => {
        await gate;
        return { ok: 1 };
      });
      await new Promise((done) => setTimeout(done, 50));
      await expect(idempotency.run(context, request, 201, async () => ({ ok: 2 }))).rejects.toMatchObject({
        code: 'IDEMPOTENCY.IN_PROGRESS',
        kind: 'conflict',
      });
      release();
      expect(await first).toEqual({ status: 201, body: { ok: 1 }, replayed: false });
      expect(await idempotency.run(context, request, 201, async () => ({ ok: 3 }))).toEqual({
        status: 201,
        body: { ok: 1 },
        replayed: true,
      });
      // Kept at least 24 hours (48 by default); after that the key is free again.
      const later = { ...context, now: new Date(context.now.getTime() + 47 * 3_600_000) };
      expect((await idempotency.run(later, request, 201, async () => ({ ok: 4 }))).replayed).toBe(true);
      const expired = { ...context, now: new Date(context.now.getTime() + 49 * 3_600_000) };
      expect(await idempotency.run(expired, request, 201, async () => ({ ok: 5 }))).toEqual({
        status: 201,
        body: { ok: 5 },
        replayed: false,
      });
    });

    it('two processes with one key: the first to record wins, the other answers with its record (replay, or 422 for another request)', async () => {
      // A second service over the same database stands for a second instance of the API: it does not see the first's
      // running requests, so the database decides.
      const elsewhere = new IdempotencyService(t.app.get(PgEventStore), t.app.get(APP_CONFIG));
      const here = t.app.get(IdempotencyService);
      const context = {
        actor: { id: `user-${key()}`, roles: ['investor'] },
        correlationId: 'c',
        channel: 'api' as const,
        now: t.clock.now(),
        idempotencyKey: key(),
      };
      const request = { method: 'POST', path: '/tips', body: { amountMinor: 1 } };
      let release!: () => void;
      const gate = new Promise<void>((done) => (release = done));
      const slow = here.run(context, request, 201, async () => {
        await gate;
        return { from: 'here' };
      });
      expect(await elsewhere.run(context, request, 201, async () => ({ from: 'elsewhere' }))).toEqual({
        status: 201,
        body: { from: 'elsewhere' },
        replayed: false,
      });
      release();
      expect(await slow).toEqual({ status: 201, body: { from: 'elsewhere' }, replayed: true });
      await expect(elsewhere.run(context, { ...request, body: { amountMinor: 2 } }, 201, async () => ({}))).rejects.toMatchObject({
        code: 'IDEMPOTENCY.KEY_REUSED',
      });
      const { rows } = await t.app
        .get(PgEventStore)
        .pool.query('SELECT response_body FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2', [
          context.actor.id,
          context.idempotencyKey,
        ]);
      expect(rows).toEqual([{ response_body: { from: 'elsewhere' } }]);
    });

    it('a request that fails gives its key back, so the client may retry it', async () => {
      const investor = await t.register();
      const k = key();
      await subscribe(t, investor.token, { listingId: '00000000-0000-4000-8000-000000000000', planId: 'monthly' }, k).expect(404);
      const { rows } = await t.app
        .get(PgEventStore)
        .pool.query('SELECT 1 FROM idempotency_keys WHERE user_id = $1 AND idempotency_key = $2', [investor.userId, k]);
      expect(rows).toHaveLength(0);
    });

    it('200 parallel subscribes with the same key → one subscription and one payment; the rest replay or get 409 in progress', async () => {
      const investor = await t.register();
      const k = key();
      const responses = await Promise.all(
        Array.from({ length: 200 }, () => subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }, k)),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
      expect(
        responses.filter((response) => response.status === 409).every((response) => response.body.code === 'IDEMPOTENCY.IN_PROGRESS'),
      ).toBe(true);
      const created = responses.filter((response) => response.status === 201);
      expect(new Set(created.map((response) => response.body.subscriptionId)).size).toBe(1);
      expect(created.filter((response) => response.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
      expect(await countEvents('value-added.SubscriptionRequested', `%${investor.userId}%`)).toBe(1);
      await paymentsSettled(t);
      const payments = await t.http.get('/me/payments').set(auth(investor.token)).expect(200);
      expect(payments.body).toHaveLength(1);
    });

    it('200 parallel subscribes with different keys → one live subscription; the others are refused', async () => {
      const investor = await t.register();
      const responses = await Promise.all(
        Array.from({ length: 200 }, () => subscribe(t, investor.token, { listingId: level2, planId: 'monthly' })),
      );
      const created = responses.filter((response) => response.status === 201);
      expect(created).toHaveLength(1);
      expect(responses.filter((response) => response.status !== 201).every((response) => response.status === 409)).toBe(true);
      expect(await countEvents('value-added.SubscriptionRequested', `%${investor.userId}%`)).toBe(1);
      await paymentsSettled(t);
      const payments = await t.http.get('/me/payments').set(auth(investor.token)).expect(200);
      expect(payments.body).toHaveLength(1);
    });
  });

  describe('refunds', () => {
    it('partial refunds with reason and actor, several per payment, never above what was captured', async () => {
      const investor = await t.register();
      const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
      await paymentsSettled(t);
      const paymentId = created.body.paymentId;
      const refund = (amountMinor: number, k = key()) =>
        t.http
          .post(`/payments/${paymentId}/refunds`)
          .set(auth(staff.compliance.token))
          .set('Idempotency-Key', k)
          .send({ amountMinor, reason: 'service outage' });
      await refund(1000).expect(201);
      await refund(1500).expect(201);
      const over = await refund(501).expect(422);
      expect(over.body).toMatchObject({ code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED', rule: 'E1', details: { refundableMinor: 500 } });
      await refund(500).expect(201);
      await paymentsSettled(t);
      await t.catchUp();
      const payment = await t.http.get(`/payments/${paymentId}`).set(auth(investor.token)).expect(200);
      expect(payment.body.refundedMinor).toBe(3000);
      expect(payment.body.refunds.map((r: { by: string; reason: string }) => [r.by, r.reason])).toEqual(
        Array(3).fill([staff.compliance.userId, 'service outage']),
      );
      await refund(1).expect(422);
    });

    it('investors cannot refund; refunds need an Idempotency-Key', async () => {
      const investor = await t.register();
      const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
      await t.http
        .post(`/payments/${created.body.paymentId}/refunds`)
        .set(auth(investor.token))
        .set('Idempotency-Key', key())
        .send({ amountMinor: 1, reason: 'x' })
        .expect(403);
      await t.http
        .post(`/payments/${created.body.paymentId}/refunds`)
        .set(auth(staff.compliance.token))
        .send({ amountMinor: 1, reason: 'x' })
        .expect(400);
    });

    it('signed provider notifications over HTTP are applied once however often they arrive; stale ones are refused', async () => {
      const investor = await t.register();
      const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
      await paymentsSettled(t);
      const notification = {
        id: 'ntf-replayed',
        type: 'payment.captured',
        paymentId: created.body.paymentId,
        amountMinor: 3000,
        gatewayReference: 'gw-x',
        signedAt: t.clock.now().getTime(),
      };
      const post = (body: typeof notification) =>
        t.http
          .post('/payments/notifications/sandbox')
          .set('X-Sandbox-Signature', signNotification(SECRET, body as GatewayNotification))
          .send(body);
      await post(notification).expect(204);
      await post(notification).expect(204);
      expect(await countEvents('payments.PaymentCaptured', `payments.payment-${created.body.paymentId}`)).toBe(1);
      await post({ ...notification, signedAt: notification.signedAt - 3_600_000 }).expect(403);
    });

    it('a notification with a bad signature is refused', async () => {
      await t.http
        .post('/payments/notifications/sandbox')
        .set('X-Sandbox-Signature', '0'.repeat(64))
        .send({
          id: 'n1',
          type: 'payment.captured',
          paymentId: '00000000-0000-4000-8000-000000000000',
          amountMinor: 1,
          gatewayReference: 'x',
          signedAt: Date.now(),
        })
        .expect(401);
    });
  });

  describe('tipping (V4)', () => {
    const tip = (token: string, amountMinor: number, extra: Record<string, unknown> = {}) =>
      t.http
        .post('/tips')
        .set(auth(token))
        .set('Idempotency-Key', key())
        .send({ targetListingId: stream, amountMinor, currency: 'CNY', ...extra });

    it('V4: bounds and the per-investor daily cap', async () => {
      const adult = await t.register('investor', { dateOfBirth: '1990-05-01' });
      expect((await tip(adult.token, 99).expect(422)).body).toMatchObject({ code: 'TIPPING.AMOUNT_OUT_OF_BOUNDS', rule: 'V4' });
      expect((await tip(adult.token, 5001).expect(422)).body).toMatchObject({ code: 'TIPPING.AMOUNT_OUT_OF_BOUNDS', rule: 'V4' });
      await tip(adult.token, 5000).expect(201);
      await tip(adult.token, 3000).expect(201);
      const capped = await tip(adult.token, 100).expect(422);
      expect(capped.body).toMatchObject({
        code: 'TIPPING.DAILY_CAP_EXCEEDED',
        rule: 'V4',
        details: { dailyCapMinor: 8000, tippedTodayMinor: 8000 },
      });
    });

    it('V4: minors cannot tip, and nobody without a date of birth', async () => {
      const now = t.clock.now();
      const minorBirth = `${now.getUTCFullYear() - 16}-01-01`;
      const minor = await t.register('investor', { dateOfBirth: minorBirth });
      expect((await tip(minor.token, 500).expect(422)).body).toMatchObject({ code: 'TIPPING.MINOR', rule: 'V4' });
      const unknown = await t.register();
      expect((await tip(unknown.token, 500).expect(422)).body).toMatchObject({ code: 'TIPPING.AGE_UNKNOWN', rule: 'V4' });
    });

    it('V3: the tip message goes through the content guard; V4: a tip grants no entitlement', async () => {
      const adult = await t.register('investor', { dateOfBirth: '1990-05-01' });
      expect((await tip(adult.token, 500, { message: '老师说明天必涨' }).expect(422)).body).toMatchObject({
        code: 'CONTENT.PROHIBITED_PHRASE',
        rule: 'V3',
      });
      await tip(adult.token, 500, { message: '谢谢老师' }).expect(201);
      await paymentsSettled(t);
      const entitlements = await t.http.get('/me/entitlements').set(auth(adult.token)).expect(200);
      expect(entitlements.body.entitlements).toEqual([]);
    });
  });

  it('rebuilding the marketplace read models from position zero gives the same rows', async () => {
    await paymentsSettled(t);
    await t.catchUp();
    const pool = t.app.get(PgEventStore).pool;
    const snapshot = async () => {
      const tables: Record<string, unknown[]> = {};
      for (const [table, id] of [
        ['catalog_listings', 'listing_id'],
        ['payments_view', 'payment_id'],
        ['va_subscriptions', 'subscription_id'],
        ['va_tips', 'tip_id'],
        ['va_coupons', 'code'],
      ]) {
        tables[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY ${id}`)).rows;
      }
      return tables;
    };
    const before = await snapshot();
    expect(before.va_subscriptions.length).toBeGreaterThan(0);
    await t.app.get(ProjectionRunner).rebuild(['catalog.listings', 'payments.payments', 'value-added.read-models']);
    expect(await snapshot()).toEqual(before);
  });

  describe('coupons (V2)', () => {
    const issue = (code: string) =>
      t.http
        .post('/coupons')
        .set(auth(staff.pm.token))
        .send({
          code,
          percentOff: 20,
          currency: 'CNY',
          validFrom: '2020-01-01T00:00:00Z',
          validUntil: '2099-01-01T00:00:00Z',
          maxRedemptions: 100,
          description: '首月八折',
        })
        .expect(201);

    it('V2: a coupon lowers the first charge of a value-added subscription', async () => {
      await issue('WELCOME20');
      const investor = await t.register();
      const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly', couponCode: 'welcome20' }).expect(201);
      expect(created.body.amountMinor).toBe(2400);
    });

    it('a coupon’s redemption limit holds under concurrent subscribes', async () => {
      await t.http
        .post('/coupons')
        .set(auth(staff.pm.token))
        .send({
          code: 'FIRST5',
          amountOffMinor: 500,
          currency: 'CNY',
          validFrom: '2020-01-01T00:00:00Z',
          validUntil: '2099-01-01T00:00:00Z',
          maxRedemptions: 5,
          description: '前五名立减五元',
        })
        .expect(201);
      const investors = await Promise.all(Array.from({ length: 12 }, () => t.register()));
      const responses = await Promise.all(
        investors.map((investor) => subscribe(t, investor.token, { listingId: level2, planId: 'monthly', couponCode: 'FIRST5' })),
      );
      const created = responses.filter((response) => response.status === 201);
      expect(created.length).toBeGreaterThan(0);
      expect(created.length).toBeLessThanOrEqual(5);
      expect(created.every((response) => response.body.amountMinor === 2500)).toBe(true);
      expect(responses.filter((response) => response.status !== 201).every((response) => response.status === 409)).toBe(true);
      expect(await countEvents('value-added.CouponRedeemed', 'value-added.coupon-FIRST5')).toBe(created.length);
    });

    it('V2: a coupon on an advisory product is refused', async () => {
      await issue('ADVISORY20');
      const investor = await t.register();
      const refused = await subscribe(t, investor.token, { listingId: advisory, planId: 'quarterly', couponCode: 'ADVISORY20' }).expect(
        422,
      );
      expect(refused.body).toMatchObject({ code: 'COUPON.NOT_FOR_ADVISORY', rule: 'V2' });
      const quote = await t.http
        .get(`/coupons/ADVISORY20/quote?listingId=${advisory}&planId=quarterly`)
        .set(auth(investor.token))
        .expect(422);
      expect(quote.body).toMatchObject({ code: 'COUPON.NOT_FOR_ADVISORY', rule: 'V2' });
    });

    it('V2: a coupon aimed at an advisory listing is refused at issue and never exists', async () => {
      const aimed = (code: string, listingIds: string[]) =>
        t.http.post('/coupons').set(auth(staff.pm.token)).send({
          code,
          percentOff: 10,
          currency: 'CNY',
          validFrom: '2020-01-01T00:00:00Z',
          validUntil: '2099-01-01T00:00:00Z',
          maxRedemptions: 10,
          listingIds,
          description: '九折',
        });
      const refused = await aimed('ADVONLY10', [level2, advisory]).expect(422);
      expect(refused.body).toMatchObject({ code: 'COUPON.NOT_FOR_ADVISORY', rule: 'V2', details: { listingIds: [advisory] } });
      expect(await countEvents('value-added.CouponIssued', 'value-added.coupon-ADVONLY10')).toBe(0);
      expect((await aimed('NOSUCH10', ['00000000-0000-7000-8000-000000000000']).expect(400)).body.code).toBe('COUPON.TERMS_INVALID');
      await aimed('L2ONLY10', [level2]).expect(201);
    });

    it('A7: an advisory product cannot be bought through the value-added path at all', async () => {
      const investor = await t.register();
      const refused = await subscribe(t, investor.token, { listingId: advisory, planId: 'quarterly' }).expect(422);
      expect(refused.body).toMatchObject({ code: 'SUBSCRIPTION.ADVISORY_NOT_SOLD_HERE', rule: 'A7' });
    });
  });
});

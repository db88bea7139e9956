import { randomUUID } from 'node:crypto';
import { Clock } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { GatewayNotification, PaymentGateway, PaymentOutbox, PaymentsService, SandboxGateway, signNotification } from '@app/payments';
import { APP_CONFIG, JsonLogger } from '@app/platform';
import { createTestApp, TestApp } from '../support/app';
import { auth, level2Listing, publishListing, registerStaff, Staff } from './fixtures';
import { key, paymentsSettled, subscribe } from './support';

const SECRET = 'sandbox-secret-for-tests';
const AFTER_MS = 1000;

/**
 * The payments outbox: charges and refunds whose outcome never arrived (the process died after the commit, before or
 * after the provider was asked; or the provider's notification was lost) are driven to an outcome by the re-driver,
 * and the subscription or tip paid for follows.
 */
describe('payments outbox: every charge and refund reaches an outcome (database)', () => {
  let t: TestApp;
  let staff: Staff;
  let level2: string;
  let stream: string;
  let gateway: SandboxGateway;
  let outbox: PaymentOutbox;

  beforeAll(async () => {
    t = await createTestApp({
      PAYMENTS_SANDBOX_SECRET: SECRET,
      PAYMENTS_REDRIVE_AFTER_MS: String(AFTER_MS),
      // Passes are run by the test, one at a time.
      PAYMENTS_REDRIVE_INTERVAL_MS: '0',
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
    gateway = t.app.get(PaymentGateway) as SandboxGateway;
    outbox = t.app.get(PaymentOutbox);
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await paymentsSettled(t);
    await t.close();
  });

  const pool = () => t.app.get(PgEventStore).pool;
  const paymentStatus = async (paymentId: string) =>
    (await pool().query('SELECT status, refunds FROM payments_view WHERE payment_id = $1', [paymentId])).rows[0];
  const tipStatus = async (tipId: string) => (await pool().query('SELECT status FROM va_tips WHERE tip_id = $1', [tipId])).rows[0]?.status;
  const subscriptionStatus = async (id: string) =>
    (await pool().query('SELECT status FROM va_subscriptions WHERE subscription_id = $1', [id])).rows[0]?.status;
  const eventsOf = async (paymentId: string) =>
    (
      await pool().query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY revision', [
        `payments.payment-${paymentId}`,
      ])
    ).rows.map((row) => row.type);
  const tip = (token: string, paymentMethod = 'sandbox_ok') =>
    t.http
      .post('/tips')
      .set(auth(token))
      .set('Idempotency-Key', key())
      .send({ targetListingId: stream, amountMinor: 500, currency: 'CNY', paymentMethod })
      .expect(201);
  /** The process "dies" right after the commit: the charge never reaches the provider. */
  const chargesLost = () => jest.spyOn(gateway, 'charge').mockImplementation(() => undefined);
  /** Lets the entries come of age, runs one pass, waits for the provider's answers and the read models. */
  const redrive = async (passes = 1) => {
    for (let pass = 0; pass < passes; pass++) {
      await t.catchUp();
      t.clock.advance(AFTER_MS + 1);
      await outbox.redrive();
      await paymentsSettled(t);
    }
    await t.catchUp();
  };
  const notify = (notification: Omit<GatewayNotification, 'id' | 'signedAt'>) => {
    const body = { id: `ntf-${randomUUID()}`, signedAt: t.clock.now().getTime(), ...notification };
    return t.http
      .post('/payments/notifications/sandbox')
      .set('X-Sandbox-Signature', signNotification(SECRET, body as GatewayNotification))
      .send(body)
      .expect(204);
  };

  it('a payment left requested (never charged) is charged and captured, and its tip follows', async () => {
    const investor = await t.register('investor', { dateOfBirth: '1990-05-01' });
    const lost = chargesLost();
    const { body } = await tip(investor.token);
    lost.mockRestore();
    await t.catchUp();
    expect((await paymentStatus(body.paymentId)).status).toBe('requested');
    expect(await outbox.backlog()).toEqual({ count: 1, oldestAgeMs: expect.any(Number) });

    // Not yet due: a charge in flight is left to its notification.
    const charge = jest.spyOn(gateway, 'charge');
    await outbox.redrive();
    expect(charge).not.toHaveBeenCalled();
    t.clock.advance(AFTER_MS + 1);
    expect((await outbox.backlog()).oldestAgeMs).toBeGreaterThan(AFTER_MS);

    await redrive();
    expect(charge).toHaveBeenCalledTimes(1);
    expect((await paymentStatus(body.paymentId)).status).toBe('captured');
    expect(await tipStatus(body.tipId)).toBe('paid');
  });

  it('a declined payment left requested fails, and its tip fails with it', async () => {
    const investor = await t.register('investor', { dateOfBirth: '1990-05-01' });
    const lost = chargesLost();
    const { body } = await tip(investor.token, 'sandbox_decline');
    lost.mockRestore();
    await redrive();
    expect((await paymentStatus(body.paymentId)).status).toBe('failed');
    expect(await tipStatus(body.tipId)).toBe('failed');
  });

  it('a payment left authorised is captured, and its subscription becomes active (buying again is possible later)', async () => {
    const investor = await t.register();
    const lost = chargesLost();
    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly', paymentMethod: 'sandbox_ok' }).expect(201);
    lost.mockRestore();
    await notify({ type: 'payment.authorised', paymentId: created.body.paymentId, amountMinor: 3000, gatewayReference: 'gw-a' });
    await t.catchUp();
    expect((await paymentStatus(created.body.paymentId)).status).toBe('authorised');
    expect(await subscriptionStatus(created.body.subscriptionId)).toBe('pending');

    await redrive();
    expect((await paymentStatus(created.body.paymentId)).status).toBe('captured');
    expect(await subscriptionStatus(created.body.subscriptionId)).toBe('active');
  });

  it('charged at the provider but the notification lost: reconciled from the provider status without charging again; a late duplicate changes nothing', async () => {
    const investor = await t.register('investor', { dateOfBirth: '1990-05-01' });
    // The provider charges, and every notification it sends is lost.
    const send = jest.spyOn(gateway as unknown as { send: () => void }, 'send').mockImplementation(() => undefined);
    const { body } = await tip(investor.token);
    send.mockRestore();
    expect(await gateway.paymentStatus(body.paymentId)).toMatchObject({ status: 'captured', amountMinor: 500 });

    const charge = jest.spyOn(gateway, 'charge');
    await redrive();
    expect(charge).not.toHaveBeenCalled();
    expect((await paymentStatus(body.paymentId)).status).toBe('captured');
    expect(await tipStatus(body.tipId)).toBe('paid');

    const before = await eventsOf(body.paymentId);
    await notify({ type: 'payment.captured', paymentId: body.paymentId, amountMinor: 500, gatewayReference: 'gw-late' });
    await notify({ type: 'payment.authorised', paymentId: body.paymentId, amountMinor: 500, gatewayReference: 'gw-late' });
    await notify({ type: 'payment.failed', paymentId: body.paymentId, amountMinor: 500, gatewayReference: 'gw-late', reason: 'late' });
    expect(await eventsOf(body.paymentId)).toEqual(before);
    expect(before.filter((type) => type === 'payments.PaymentCaptured')).toHaveLength(1);
  });

  it('a refund left requested is refunded', async () => {
    const investor = await t.register();
    const created = await subscribe(t, investor.token, { listingId: level2, planId: 'monthly' }).expect(201);
    await paymentsSettled(t);
    await t.catchUp();
    const lost = jest.spyOn(gateway, 'refund').mockImplementation(() => undefined);
    const refund = await t.http
      .post(`/payments/${created.body.paymentId}/refunds`)
      .set(auth(staff.compliance.token))
      .set('Idempotency-Key', key())
      .send({ amountMinor: 1000, reason: 'goodwill' })
      .expect(201);
    lost.mockRestore();
    await t.catchUp();
    expect((await paymentStatus(created.body.paymentId)).refunds).toEqual([
      expect.objectContaining({ refundId: refund.body.refundId, status: 'requested' }),
    ]);

    const refunds = jest.spyOn(gateway, 'refund');
    await redrive();
    expect(refunds).toHaveBeenCalledTimes(1);
    expect((await paymentStatus(created.body.paymentId)).refunds).toEqual([
      expect.objectContaining({ refundId: refund.body.refundId, status: 'completed' }),
    ]);
  });

  it('two re-drivers at once (two instances, one provider) charge once', async () => {
    const second = new PaymentOutbox(
      t.app.get(PgEventStore),
      gateway,
      t.app.get(PaymentsService),
      t.app.get(Clock),
      new JsonLogger('error'),
      t.app.get(APP_CONFIG),
    );
    const investors = await Promise.all([1, 2, 3].map(() => t.register('investor', { dateOfBirth: '1990-05-01' })));
    const lost = chargesLost();
    const tips = await Promise.all(investors.map((investor) => tip(investor.token)));
    lost.mockRestore();
    await t.catchUp();
    t.clock.advance(AFTER_MS + 1);
    const charge = jest.spyOn(gateway, 'charge');
    // The provider answers over a network: the question takes a while.
    const ask = gateway.paymentStatus.bind(gateway);
    jest.spyOn(gateway, 'paymentStatus').mockImplementation(async (paymentId) => {
      const answer = await ask(paymentId);
      await new Promise((done) => setTimeout(done, 30));
      return answer;
    });
    await Promise.all([outbox.redrive(), second.redrive(), outbox.redrive(), second.redrive()]);
    // Whoever comes later asks the provider first, and it knows the charge.
    await Promise.all([outbox.redrive(), second.redrive()]);
    expect(charge.mock.calls.map(([request]) => request.paymentId).sort()).toEqual(tips.map(({ body }) => body.paymentId).sort());
    await paymentsSettled(t);
    await t.catchUp();
    for (const { body } of tips) expect((await paymentStatus(body.paymentId)).status).toBe('captured');
    expect(await outbox.backlog()).toEqual({ count: 0, oldestAgeMs: 0 });
  });
});

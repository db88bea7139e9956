import { PgEventStore } from '@app/event-store';
import { createTestApp, TestApp } from '../support/app';
import { auth, level2Listing, publishListing, registerStaff } from './fixtures';
import { key, paymentsSettled } from './support';

const CAP = 8000;

describe('concurrent commands on one stream are decided again inside, not answered 409 (e2e)', () => {
  let t: TestApp;
  let stream: string;

  beforeAll(async () => {
    t = await createTestApp({
      TIP_MIN_MINOR: '100',
      TIP_MAX_MINOR: '5000',
      TIP_DAILY_CAP_MINOR: String(CAP),
      SUBSCRIPTION_JOB_INTERVAL_MS: '0',
    });
    const staff = await registerStaff(t);
    stream = await publishListing(
      t,
      staff,
      level2Listing({
        kind: 'live_stream_tipping_target',
        title: '每晚直播复盘',
        plans: [{ planId: 'free', name: '免费', priceMinor: 0, currency: 'CNY', billingPeriod: 'one_off' }],
      }),
    );
  });
  afterAll(async () => {
    await paymentsSettled(t);
    await t.close();
  });

  const burst = (token: string, amountMinor: number, count: number) =>
    Promise.all(
      Array.from({ length: count }, () =>
        t.http.post('/tips').set(auth(token)).set('Idempotency-Key', key()).send({ targetListingId: stream, amountMinor, currency: 'CNY' }),
      ),
    );

  const tippedInLog = async (investorId: string) =>
    Number(
      (
        await t.app
          .get(PgEventStore)
          .pool.query(
            `SELECT coalesce(sum((data->>'amountMinor')::bigint), 0)::int AS sum FROM events WHERE stream_id LIKE $1 AND type LIKE '%TipSent'`,
            [`%${investorId}%`],
          )
      ).rows[0].sum,
    );

  it('50 concurrent tips by one investor within the cap all succeed', async () => {
    const investor = await t.register('investor', { dateOfBirth: '1990-05-01' });
    const answers = await burst(investor.token, 100, 50);
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(201));
    expect(await tippedInLog(investor.userId)).toBe(50 * 100);
  });

  it('V4: 50 concurrent tips beyond the daily cap: the cap holds exactly, every refusal is the cap, none a conflict', async () => {
    const investor = await t.register('investor', { dateOfBirth: '1990-05-01' });
    const answers = await burst(investor.token, 300, 50);
    const accepted = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status !== 201);
    for (const answer of refused)
      expect({ status: answer.status, ...answer.body }).toMatchObject({ status: 422, code: 'TIPPING.DAILY_CAP_EXCEEDED', rule: 'V4' });
    expect(accepted.length).toBe(Math.floor(CAP / 300));
    expect(await tippedInLog(investor.userId)).toBe(accepted.length * 300);
  });
});

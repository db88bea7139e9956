import { ActivityPartitions } from '@app/growth';
import { createTestApp, TestApp } from './support/app';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('growth: activity capture under analytics consent (G7)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ GROWTH_FEED_DISABLED: 'true' });
    t.clock.set(new Date('2026-12-02T04:00:00.000Z'));
  });
  afterAll(() => t.close());

  const events = (n: number, prefix: string, type = 'logged_in', at = '2026-12-02T03:00:00.000Z') =>
    Array.from({ length: n }, (_, i) => ({ clientEventId: `${prefix}-${i}`, type, at }));

  it('G7: activity of an investor without analytics consent is dropped, and recorded once consent is given', async () => {
    const investor = await t.register();
    const before = await t.http
      .post('/me/activity')
      .set(bearer(investor.token))
      .send({ events: events(3, 'a') })
      .expect(200);
    expect(before.body).toMatchObject({ received: 3, recorded: 0, withoutConsent: 3 });
    const now = () => t.http.get('/me/analytics-consent').set(bearer(investor.token)).expect(200);
    expect((await now()).body).toEqual({ investorId: investor.userId, analytics: 'never_asked', since: null });

    const consent = await t.http.put('/me/analytics-consent').set(bearer(investor.token)).send({ given: true }).expect(200);
    expect(consent.body).toMatchObject({ investorId: investor.userId, analytics: 'given' });
    // Read back at once, from the consent's stream: no wait for a read model.
    expect((await now()).body).toEqual({ investorId: investor.userId, analytics: 'given', since: '2026-12-02T04:00:00.000Z' });
    const after = await t.http
      .post('/me/activity')
      .set(bearer(investor.token))
      .send({ events: events(3, 'a') })
      .expect(200);
    expect(after.body).toMatchObject({ received: 3, recorded: 3, withoutConsent: 0, duplicates: 0 });
  });

  it('ingest is idempotent per client event id: a resent batch records nothing more', async () => {
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(bearer(investor.token)).send({ given: true }).expect(200);
    const batch = { events: [...events(100, 'b'), { clientEventId: 'b-0', type: 'logged_in', at: '2026-12-02T03:00:00.000Z' }] };
    const first = await t.http.post('/me/activity').set(bearer(investor.token)).send(batch).expect(200);
    expect(first.body).toMatchObject({ received: 101, recorded: 100, duplicates: 1 });
    const again = await t.http.post('/me/activity').set(bearer(investor.token)).send(batch).expect(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 101 });
    const partitions = t.app.get(ActivityPartitions);
    const [{ n }] = await partitions['dataSource'].query('SELECT count(*)::int AS n FROM growth_activity WHERE investor_id = $1', [
      investor.userId,
    ]);
    expect(n).toBe(100);
  });

  it('G7: withdrawing consent erases the activity collected and stops collection', async () => {
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(bearer(investor.token)).send({ given: true }).expect(200);
    await t.http
      .post('/me/activity')
      .set(bearer(investor.token))
      .send({ events: events(5, 'c') })
      .expect(200);
    await t.http.put('/me/analytics-consent').set(bearer(investor.token)).send({ given: false }).expect(200);
    expect((await t.http.get('/me/analytics-consent').set(bearer(investor.token)).expect(200)).body).toMatchObject({
      analytics: 'withdrawn',
    });
    await t.http.get('/me/analytics-consent').expect(401);
    const db = t.app.get(ActivityPartitions)['dataSource'];
    const [{ n }] = await db.query('SELECT count(*)::int AS n FROM growth_activity WHERE investor_id = $1', [investor.userId]);
    expect(n).toBe(0);
    const later = await t.http
      .post('/me/activity')
      .set(bearer(investor.token))
      .send({ events: events(2, 'd') })
      .expect(200);
    expect(later.body).toMatchObject({ recorded: 0, withoutConsent: 2 });
  });

  it('garbage batches are refused with 400, never half-written', async () => {
    const investor = await t.register();
    await t.http
      .post('/me/activity')
      .set(bearer(investor.token))
      .send({ events: [{ clientEventId: 'x', type: 'rigged', at: 'now' }] })
      .expect(400);
    await t.http
      .post('/me/activity')
      .set(bearer(investor.token))
      .send({ events: events(501, 'e') })
      .expect(400);
    await t.http.post('/me/activity').set(bearer(investor.token)).send({ events: [] }).expect(400);
  });
});

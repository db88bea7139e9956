import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './support/app';
import { auth, level2Listing, publishListing, registerStaff } from './marketplace/fixtures';
import { subscribe } from './marketplace/support';

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 20_000) => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
};

describe('education before products (G8, seed 000)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set(new Date('2026-12-02T02:00:00.000Z'));
  });
  afterAll(() => t.close());

  it('G8: a listing requiring a lesson is refused (422, rule G8) until the investor completes it; the learning path and the funnel show it', async () => {
    const staff = await registerStaff(t);
    const lessonId = await publishListing(
      t,
      staff,
      level2Listing({
        kind: 'course',
        title: '认识Level-2行情',
        plans: [{ planId: 'free', name: '免费', priceMinor: 0, currency: 'CNY', billingPeriod: 'one_off' }],
      }),
    );
    const listingId = await publishListing(t, staff, level2Listing({ requiredLessons: [lessonId] }));
    const investor = await t.register();
    await t.http.put('/me/analytics-consent').set(auth(investor.token)).send({ given: true }).expect(200);

    const refused = await subscribe(t, investor.token, { listingId, planId: 'monthly' }).expect(422);
    expect(refused.body).toMatchObject({ code: 'EDUCATION.LESSONS_REQUIRED', rule: 'G8', details: { missingLessons: [lessonId] } });

    const db = t.app.get(DataSource);
    await until(
      'the feed to see the listings',
      async () => (await db.query('SELECT 1 FROM growth_listings WHERE listing_id = $1 AND published', [listingId])).length === 1,
    );
    const before = await t.http.get('/me/learning-path').set(auth(investor.token)).expect(200);
    expect(before.body).toMatchObject({
      completed: 0,
      nextLessonId: lessonId,
      lessons: [{ lessonId, title: '认识Level-2行情', completed: false, unlocks: [{ listingId, kind: 'level2_data' }] }],
    });

    const done = await t.http.post(`/me/lessons/${lessonId}/completion`).set(auth(investor.token)).expect(200);
    expect(done.body).toEqual({ completedLessons: [lessonId] });
    await t.http.post(`/me/lessons/${lessonId}/completion`).set(auth(investor.token)).expect(200);
    const after = await t.http.get('/me/learning-path').set(auth(investor.token)).expect(200);
    expect(after.body).toMatchObject({ completed: 1, nextLessonId: null, lessons: [{ lessonId, completed: true }] });

    await subscribe(t, investor.token, { listingId, planId: 'monthly' }).expect(201);

    // The lesson is 了解业务及规则 (learned the rules) in the funnel of the kinds it unlocks.
    await until('the funnel to show the lesson', async () => {
      const rows = await db.query(`SELECT learned_rules_at FROM growth_funnel WHERE product_kind = 'level2_data' AND investor_id = $1`, [
        investor.userId,
      ]);
      return rows.length === 1 && rows[0].learned_rules_at !== null;
    });
    const pm = await t.register('product_manager');
    const funnel = await t.http.get('/growth/funnel?productKind=level2_data&from=2026-12-01&to=2026-12-03').set(auth(pm.token)).expect(200);
    expect(funnel.body.stages.find((stage: { stage: string }) => stage.stage === 'learned_rules').investors).toBe(1);
  });

  it('G8: a listing without required lessons sells as before', async () => {
    const staff = await registerStaff(t);
    const listingId = await publishListing(t, staff, level2Listing());
    const investor = await t.register();
    await subscribe(t, investor.token, { listingId, planId: 'monthly' }).expect(201);
  });
});

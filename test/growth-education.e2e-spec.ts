import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from './support/app';
import { advisoryListing, auth, level2Listing, openAssessedAccount, publishListing, registerStaff } from './marketplace/fixtures';
import { key, subscribe } from './marketplace/support';
import { ANSWERS } from '../libs/advisory/src/domain/testing/fixtures';

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

    // Only a course of the catalog is a lesson: the listing itself (a Level-2 product) and an unknown id are not.
    for (const notALesson of [listingId, randomUUID()])
      expect((await t.http.post(`/me/lessons/${notALesson}/completion`).set(auth(investor.token)).expect(404)).body.code).toBe(
        'GROWTH.LESSON_NOT_FOUND',
      );
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

  it('G8: an advisory purchase is refused (422, rule G8) until the lessons its listing requires are completed, then accepted; the funnel of its kind shows the lesson', async () => {
    const staff = await registerStaff(t);
    const lessonId = await publishListing(
      t,
      staff,
      level2Listing({
        kind: 'course',
        title: '认识投资顾问服务',
        plans: [{ planId: 'free', name: '免费', priceMinor: 0, currency: 'CNY', billingPeriod: 'one_off' }],
      }),
    );
    const productId = await publishListing(t, staff, advisoryListing({ requiredLessons: [lessonId] }));
    const investor = await t.register();
    const as = auth(investor.token);
    await t.http.put('/me/analytics-consent').set(as).send({ given: true }).expect(200);
    await openAssessedAccount(t, investor.token, ANSWERS.C3);
    const matched = await t.http.post('/advisory/engagements').set(as).send({ productId, initiatedBy: 'investor' }).expect(201);
    const id = matched.body.engagementId as string;
    const documents = (await t.http.get('/advisory/documents').set(as).expect(200)).body as {
      kind: string;
      version: string;
      contentHash: string;
    }[];
    const disclosure = documents.find(
      (d) => d.kind === 'risk_disclosure' && d.version === advisoryListing().advisory.riskDisclosureVersion,
    );
    await t.http.post(`/advisory/engagements/${id}/risk-disclosure`).set(as).send({ contentHash: disclosure?.contentHash }).expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(as).send({}).expect(200);
    const purchase = () => t.http.post(`/advisory/engagements/${id}/purchase`).set(as).set('Idempotency-Key', key()).send({});

    const refused = await purchase().expect(422);
    expect(refused.body).toMatchObject({
      code: 'EDUCATION.LESSONS_REQUIRED',
      rule: 'G8',
      details: { missingLessons: [lessonId], violations: [{ rule: 'G8', code: 'EDUCATION.LESSONS_REQUIRED' }] },
    });
    const stillContracted = await t.http.get(`/advisory/engagements/${id}`).set(as).expect(200);
    expect(stillContracted.body.status).toBe('contracted');

    const db = t.app.get(DataSource);
    await until(
      'the feed to see the advisory listing',
      async () => (await db.query('SELECT 1 FROM growth_listings WHERE listing_id = $1 AND published', [productId])).length === 1,
    );
    const path = await t.http.get('/me/learning-path').set(as).expect(200);
    expect(path.body.lessons.find((lesson: { lessonId: string }) => lesson.lessonId === lessonId)).toMatchObject({
      completed: false,
      unlocks: [{ listingId: productId, kind: 'stock_picking_strategy' }],
    });

    await t.http.post(`/me/lessons/${lessonId}/completion`).set(as).expect(200);
    const bought = await purchase().expect(201);
    expect(bought.body).toMatchObject({ status: 'payment_pending', paymentIntentId: expect.any(String) });

    await until('the funnel to show the lesson and the purchase', async () => {
      const rows = await db.query(
        `SELECT learned_rules_at, transacted_at FROM growth_funnel WHERE product_kind = 'stock_picking_strategy' AND investor_id = $1`,
        [investor.userId],
      );
      return rows.length === 1 && rows[0].learned_rules_at !== null && rows[0].transacted_at !== null;
    });
    const pm = await t.register('product_manager');
    const funnel = await t.http
      .get('/growth/funnel?productKind=stock_picking_strategy&from=2026-12-01&to=2026-12-03')
      .set(auth(pm.token))
      .expect(200);
    const stage = (name: string) => funnel.body.stages.find((s: { stage: string }) => s.stage === name).investors;
    expect([stage('learned_rules'), stage('transacted')]).toEqual([1, 1]);
  });

  it('G8: a listing without required lessons sells as before', async () => {
    const staff = await registerStaff(t);
    const listingId = await publishListing(t, staff, level2Listing());
    const investor = await t.register();
    await subscribe(t, investor.token, { listingId, planId: 'monthly' }).expect(201);
  });
});

import { createTestApp, TestApp } from './support/app';
import { DEMO_STAFF, seedDemo } from '../apps/cli/src/demo/seed-demo';

/** `npm run demo:seed`: staff who can log in with the printed passwords, a catalog published through review, twice. */
describe('demo data', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
  });
  afterAll(async () => t.close());

  it('creates staff with generated passwords and publishes value-added and advisory listings; a second run changes nothing', async () => {
    const first = await seedDemo(t.app, baseUrl);
    expect(first.staff.map((account) => account.role)).toEqual(['admin', 'product_manager', 'compliance_officer', 'advisor']);
    for (const account of first.staff) {
      expect(account.password).toEqual(expect.any(String));
      const login = await t.http.post('/auth/login').send({ email: account.email, password: account.password }).expect(200);
      const me = await t.http.get('/me').set('Authorization', `Bearer ${login.body.accessToken}`).expect(200);
      expect(me.body.roles).toEqual([account.role]);
    }
    expect(first.listings.every((listing) => listing.created)).toBe(true);

    const investor = await t.register();
    const browse = await t.http.get('/catalog/listings?limit=100').set('Authorization', `Bearer ${investor.token}`).expect(200);
    const kinds = browse.body.items.map((item: { kind: string }) => item.kind);
    expect(kinds).toEqual(expect.arrayContaining(['level2_data', 'course', 'tool', 'article', 'simulated_trading_prop']));
    const advisorId = first.staff.find((account) => account.role === 'advisor')!.userId;
    const managed = await t.http
      .get('/catalog/manage/listings?status=published&family=advisory')
      .set('Authorization', `Bearer ${first.staff[1].token}`)
      .expect(200);
    expect(managed.body.items).toHaveLength(3);

    const second = await seedDemo(t.app, baseUrl);
    expect(second.staff.map((account) => account.password)).toEqual(DEMO_STAFF.map(() => undefined));
    expect(second.listings).toEqual(first.listings.map((listing) => ({ ...listing, created: false })));
    const detail = await t.http
      .get(`/catalog/manage/listings/${first.listings.find((l) => l.title === '价值精选组合')!.listingId}`)
      .set('Authorization', `Bearer ${first.staff[1].token}`)
      .expect(200);
    expect(JSON.stringify(detail.body)).toContain(advisorId);
    expect(JSON.stringify(detail.body)).toContain('S0260611080001');
  });
});

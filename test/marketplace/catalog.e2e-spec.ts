import { createTestApp, TestApp } from '../support/app';
import { advisoryListing, auth, level2Listing, publishListing, registerStaff, Staff } from './fixtures';

describe('catalog (e2e)', () => {
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await registerStaff(t);
  });
  afterAll(() => t.close());

  it('L1/L2: maker-checker — the submitter cannot approve; another reviewer can; then it is published and browsable', async () => {
    const { body } = await t.http.post('/catalog/listings').set(auth(staff.pm.token)).send(level2Listing()).expect(201);
    const id = body.listingId;
    await t.http
      .post(`/catalog/listings/${id}/publish`)
      .set(auth(staff.pm.token))
      .expect(422)
      .expect(({ body: error }) => expect(error).toMatchObject({ code: 'CATALOG.INVALID_TRANSITION', rule: 'L1' }));
    await t.http.post(`/catalog/listings/${id}/submit`).set(auth(staff.pm.token)).expect(200);
    const own = await t.http
      .post(`/catalog/listings/${id}/approve`)
      .set(auth(staff.pm.token))
      .send({ confirmedFamily: 'value_added' })
      .expect(422);
    expect(own.body).toMatchObject({ code: 'CATALOG.MAKER_CANNOT_CHECK', rule: 'L2' });
    await t.http
      .post(`/catalog/listings/${id}/approve`)
      .set(auth(staff.checker.token))
      .send({ confirmedFamily: 'value_added' })
      .expect(200);
    await t.http.post(`/catalog/listings/${id}/publish`).set(auth(staff.pm.token)).expect(200);

    const investor = await t.register();
    const browse = await t.http.get('/catalog/listings?kind=level2_data&limit=10').set(auth(investor.token)).expect(200);
    expect(browse.body.items.map((item: { listingId: string }) => item.listingId)).toContain(id);
    await t.http.get(`/catalog/listings/${id}`).set(auth(investor.token)).expect(200);
  });

  it('L2: an advisory listing needs a compliance officer; a product manager checker is refused', async () => {
    const { body } = await t.http.post('/catalog/listings').set(auth(staff.pm.token)).send(advisoryListing()).expect(201);
    await t.http.post(`/catalog/listings/${body.listingId}/submit`).set(auth(staff.pm.token)).expect(200);
    const refused = await t.http
      .post(`/catalog/listings/${body.listingId}/approve`)
      .set(auth(staff.checker.token))
      .send({ confirmedFamily: 'advisory' })
      .expect(403);
    expect(refused.body).toMatchObject({ code: 'CATALOG.COMPLIANCE_OFFICER_REQUIRED', rule: 'L2' });
    await t.http
      .post(`/catalog/listings/${body.listingId}/approve`)
      .set(auth(staff.compliance.token))
      .send({ confirmedFamily: 'advisory' })
      .expect(200);
  });

  it('L3: an advisory listing without its advisory terms is refused at submission, naming what is missing', async () => {
    const { body } = await t.http
      .post('/catalog/listings')
      .set(auth(staff.pm.token))
      .send(advisoryListing({ advisory: { riskLevel: 'R3' } }))
      .expect(201);
    const refused = await t.http.post(`/catalog/listings/${body.listingId}/submit`).set(auth(staff.pm.token)).expect(422);
    expect(refused.body).toMatchObject({ code: 'CATALOG.ADVISORY_TERMS_MISSING', rule: 'L3' });
    expect(refused.body.details.missing).toEqual(expect.arrayContaining(['advisors', 'contractVersion', 'riskFactors.liquidity']));
  });

  it('V3: listing copy with a prohibited phrase is refused with the phrase and the rule', async () => {
    const refused = await t.http
      .post('/catalog/listings')
      .set(auth(staff.pm.token))
      .send(level2Listing({ description: '跟着我们的行情，保 证 收 益！' }))
      .expect(422);
    expect(refused.body).toMatchObject({
      code: 'CONTENT.PROHIBITED_PHRASE',
      rule: 'V3',
      details: { phrase: '保证收益', category: 'guaranteed_return' },
    });
  });

  it('A5: investors browse value-added listings only; advisory products are not listed here', async () => {
    const advisoryId = await publishListing(t, staff, advisoryListing());
    const investor = await t.register();
    const browse = await t.http.get('/catalog/listings?limit=100').set(auth(investor.token)).expect(200);
    expect(browse.body.items.map((item: { listingId: string }) => item.listingId)).not.toContain(advisoryId);
    expect(browse.body.items.every((item: { family: string }) => item.family === 'value_added')).toBe(true);
  });

  it('browsing filters and paginates', async () => {
    for (let i = 0; i < 3; i++)
      await publishListing(
        t,
        staff,
        level2Listing({
          kind: 'course',
          title: `课程 ${i}`,
          plans: [{ planId: 'once', name: '买断', priceMinor: 100 * (i + 1), currency: 'CNY', billingPeriod: 'one_off' }],
        }),
      );
    const investor = await t.register();
    const page1 = await t.http.get('/catalog/listings?kind=course&limit=2&offset=0').set(auth(investor.token)).expect(200);
    const page2 = await t.http.get('/catalog/listings?kind=course&limit=2&offset=2').set(auth(investor.token)).expect(200);
    expect(page1.body.total).toBe(3);
    expect(page1.body.items).toHaveLength(2);
    expect(page2.body.items).toHaveLength(1);
    const cheap = await t.http.get('/catalog/listings?kind=course&maxPriceMinor=200').set(auth(investor.token)).expect(200);
    expect(cheap.body.total).toBe(2);
    const oneOff = await t.http.get('/catalog/listings?billingPeriod=one_off&q=课程').set(auth(investor.token)).expect(200);
    expect(oneOff.body.total).toBe(3);
  });

  it('L4: a risk-rating change is approved by compliance, not by its requester', async () => {
    const id = await publishListing(t, staff, advisoryListing());
    const change = await t.http
      .post(`/catalog/listings/${id}/risk-rating-changes`)
      .set(auth(staff.pm.token))
      .send({ riskLevel: 'R4', riskFactors: { liquidity: 3, principalLoss: 4, complexity: 4, leverage: 2 }, reason: 'adds small caps' })
      .expect(201);
    await t.http.post(`/catalog/listings/${id}/risk-rating-changes/${change.body.changeId}/approve`).set(auth(staff.pm.token)).expect(403);
    await t.http
      .post(`/catalog/listings/${id}/risk-rating-changes/${change.body.changeId}/approve`)
      .set(auth(staff.compliance.token))
      .expect(200);
    const listing = await t.http.get(`/catalog/manage/listings/${id}`).set(auth(staff.compliance.token)).expect(200);
    expect(listing.body.riskLevel).toBe('R4');
    expect(listing.body.advisory.riskFactors.principalLoss).toBe(4);
  });
});

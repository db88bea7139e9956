import { createHash, randomUUID } from 'node:crypto';
import { PgEventStore } from '@app/event-store';
import { PaymentGateway, PaymentOutbox, paymentStreamId } from '@app/payments';
import { contentHash, currentDocument, maskNationalId, nationalIdCheckChar, questionnaireHash, RQ_2025_1 } from '@app/advisory';
import { PiiVault } from '@app/platform';
import { createTestApp, TestApp } from './support/app';
import { advisoryListing, auth, publishListing, registerStaff, Staff } from './marketplace/fixtures';
import { key, paymentsSettled } from './marketplace/support';
import { ANSWERS, LOWEST_ANSWERS } from '../libs/advisory/src/domain/testing/fixtures';

/**
 * The regulated advisory path over HTTP and a real PostgreSQL: registration → account (vault) → assessment → matching
 * → disclosure → contract → purchase → payment captured by the sandbox provider → active subscription → rescission with
 * the refund completed on the payment, for an ordinary and a professional investor; plus a declined payment, the return
 * visit and the L4 re-rating.
 */
const { C2, C3 } = ANSWERS;

const profile = {
  occupation: 'engineer',
  incomeBand: '100k_500k',
  assetsBand: '500k_3m',
  experienceYears: 3,
  objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: 'long' },
};
const idFor = (first17: string) => first17 + nationalIdCheckChar(first17);
/** A response body as the bytes that were sent. */
const rawBody = (
  stream: { on(event: string, listener: (chunk: Buffer) => void): unknown },
  done: (error: Error | null, body: Buffer) => void,
) => {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};
const consentTextHash = contentHash(currentDocument('sensitive_data_consent')!.text);

describe('advisory flow (e2e)', () => {
  let t: TestApp;
  let staff: Staff;
  let advisor: { userId: string; token: string };
  let r3: string;
  let r5: string;
  let documents: { kind: string; contentHash: string }[];

  const open = (token: string, nationalId = idFor('11010519850614002')) =>
    t.http
      .post('/advisory/account')
      .set(auth(token))
      .send({ legalName: '王小明', nationalId, mobile: '13912345678', profile, sensitiveDataConsent: true, consentTextHash });

  const assessed = async (token: string, answers: Record<string, string>) => {
    const result = await t.http.post('/advisory/assessments').set(auth(token)).send({ answers }).expect(201);
    await t.http.post(`/advisory/assessments/${result.body.assessmentId}/confirmation`).set(auth(token)).expect(200);
    return result.body;
  };

  const hashOf = (kind: string) => documents.find((d) => d.kind === kind)!.contentHash;

  const purchase = (token: string, id: string, body: Record<string, unknown> = {}, idempotencyKey = key()) =>
    t.http.post(`/advisory/engagements/${id}/purchase`).set(auth(token)).set('Idempotency-Key', idempotencyKey).send(body);

  /** Waits for the sandbox provider's notifications and the read models, then reads the engagement back. */
  const settled = async (token: string, id: string) => {
    await paymentsSettled(t);
    await t.catchUp();
    return (await t.http.get(`/advisory/engagements/${id}`).set(auth(token)).expect(200)).body;
  };

  /**
   * Matching → disclosure → (warning, insistence) → contract → purchase → payment settled; returns the engagement id,
   * the purchase response and the engagement once the provider has answered.
   */
  const buy = async (token: string, productId: string, mismatch = false, body: Record<string, unknown> = {}) => {
    const matched = await t.http.post('/advisory/engagements').set(auth(token)).send({ productId, initiatedBy: 'investor' }).expect(201);
    const id = matched.body.engagementId as string;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    if (mismatch) {
      await t.http
        .post(`/advisory/engagements/${id}/special-risk-warning`)
        .set(auth(token))
        .send({ contentHash: hashOf('special_risk_warning') })
        .expect(200);
      await t.http
        .post(`/advisory/engagements/${id}/insistence`)
        .set(auth(token))
        .send({ statement: '我已知晓风险，坚持购买' })
        .expect(200);
    }
    // The preview shows the serial the next signing takes; nothing else signs in between here, so it is this one.
    const preview = await t.http.get(`/advisory/engagements/${id}/contract-preview`).set(auth(token)).expect(200);
    expect(preview.body).toMatchObject({ serial: expect.stringMatching(/^ADV-\d{4}-\d{6}$/), serialReserved: false });
    expect(preview.body.text).toEqual(expect.stringContaining(preview.body.serial));
    expect(preview.body.text).toEqual(expect.stringContaining('SAC S0260611080001'));
    expect(preview.body.text).toEqual(expect.stringContaining('5 working days'));
    expect(preview.body.contentHash).toBe(createHash('sha256').update(preview.body.text, 'utf8').digest('hex'));
    const served = await t.http
      .get(`/advisory/engagements/${id}/contract-preview?format=text`)
      .set(auth(token))
      .buffer(true)
      .parse((res, done) => rawBody(res, done));
    expect([served.status, served.headers['content-type'], served.headers['document-sha256']]).toEqual([
      200,
      'text/plain; charset=utf-8',
      preview.body.contentHash,
    ]);
    expect(
      createHash('sha256')
        .update(served.body as Buffer)
        .digest('hex'),
    ).toBe(preview.body.contentHash);
    const contract = await t.http
      .post(`/advisory/engagements/${id}/contract`)
      .set(auth(token))
      .send({ contentHash: preview.body.contentHash })
      .expect(200);
    expect(contract.body.contract.serial).toBe(preview.body.serial);
    const signedEvents = await t.app.get(PgEventStore).readStream(`advisory.engagement-${id}`);
    expect(signedEvents.find((e) => e.type === 'advisory.ContractSigned')?.data).toMatchObject({
      serial: preview.body.serial,
      document: { contentHash: preview.body.contentHash },
    });
    const bought = await purchase(token, id, body, `buy-${id}`).expect(201);
    expect(bought.body).toMatchObject({
      status: 'payment_pending',
      subscription: { payments: [{ paymentIntentId: bought.body.paymentIntentId, status: 'requested' }] },
    });
    return { id, matched: matched.body, contract: contract.body, purchase: bought.body, after: await settled(token, id) };
  };

  const payment = async (token: string, paymentId: string) =>
    (await t.http.get(`/payments/${paymentId}`).set(auth(token)).expect(200)).body;

  beforeAll(async () => {
    t = await createTestApp();
    staff = await registerStaff(t);
    advisor = await t.register('advisor');
    const advisors = [{ advisorId: advisor.userId, name: '李明', sacRegistrationCode: 'S0260611080001' }];
    r3 = await publishListing(t, staff, advisoryListing({ advisory: { ...advisoryListing().advisory, advisors } }));
    r5 = await publishListing(
      t,
      staff,
      advisoryListing({
        title: '期权波动率策略',
        advisory: { ...advisoryListing().advisory, riskLevel: 'R5', horizon: 'long', varieties: ['options'], advisors },
      }),
    );
    documents = (await t.http.get('/advisory/documents').set(auth(staff.pm.token)).expect(200)).body;
  });
  afterAll(async () => t.close());

  it('A1, A5, A6: every document the investor confirms is served by version, its bytes hashing to the hash listed', async () => {
    const current = (await t.http.get('/advisory/documents?current=true').expect(200)).body as {
      kind: string;
      version: string;
      contentHash: string;
      url: string;
      current: boolean;
    }[];
    expect(current.map((d) => d.kind).sort()).toEqual(['sensitive_data_consent', 'special_risk_warning']);
    const all = (await t.http.get('/advisory/documents').expect(200)).body as typeof current;
    expect(all.map((d) => `${d.kind}:${d.version}`)).toEqual(
      expect.arrayContaining(['sensitive_data_consent:PIPL-2025.1', 'risk_disclosure:RD-2025.1', 'special_risk_warning:SRW-2025.1']),
    );
    for (const doc of all) {
      const served = await t.http
        .get(doc.url)
        .buffer(true)
        .parse((res, done) => rawBody(res, done));
      expect(served.status).toBe(200);
      const bytes = served.body as Buffer;
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.contentHash);
      expect(served.headers['document-sha256']).toBe(doc.contentHash);
      expect(served.headers['content-digest']).toBe(`sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`);
    }
    expect((await t.http.get('/advisory/documents/sensitive_data_consent/PIPL-1999.1').expect(404)).body).toMatchObject({
      code: 'DOCUMENT.NOT_FOUND',
      rule: 'A6',
    });
    expect((await t.http.get('/advisory/documents/advisory_contract/AC-2025.1').expect(404)).body.message).toContain('contract-preview');
  });

  it('A1: an account is opened only with consent to the consent text served; any other hash is refused and nothing is stored', async () => {
    const investor = await t.register();
    const refused = await t.http
      .post('/advisory/account')
      .set(auth(investor.token))
      .send({
        legalName: '王小明',
        nationalId: idFor('11010519850614002'),
        mobile: '13912345678',
        profile,
        sensitiveDataConsent: true,
        consentTextHash: 'c'.repeat(64),
      })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'ACCOUNT.CONSENT_TEXT_UNKNOWN', rule: 'A1' });
    expect(await t.app.get(PgEventStore).readStream(`advisory.investor-${investor.userId}`)).toEqual([]);
    const served = (await t.http.get('/advisory/documents?current=true').expect(200)).body.find(
      (d: { kind: string }) => d.kind === 'sensitive_data_consent',
    );
    await open(investor.token).expect(201);
    const [opened] = await t.app.get(PgEventStore).readStream(`advisory.investor-${investor.userId}`);
    expect(opened.data.sensitiveDataConsent).toEqual({
      consentTextHash: served.contentHash,
      documentId: 'sensitive-data-consent',
      version: 'PIPL-2025.1',
    });
  });

  it('A1: refuses a national ID with a bad checksum, naming the rule', async () => {
    const investor = await t.register();
    const response = await open(investor.token, '110105194912310021').expect(422);
    expect(response.body).toMatchObject({ code: 'ACCOUNT.NATIONAL_ID_CHECKSUM', rule: 'A1' });
  });

  it('ordinary investor: registration to an active subscription, then rescission with a full refund (A1–A8)', async () => {
    const investor = await t.register();
    const opened = await open(investor.token).expect(201);
    expect(opened.body).toEqual({
      investorId: investor.userId,
      nationalIdMasked: maskNationalId(idFor('11010519850614002')),
      mobileMasked: '139****5678',
      legalNameMasked: '王**',
    });
    expect(JSON.stringify(opened.body)).not.toContain('13912345678');

    const questionnaire = await t.http.get('/advisory/questionnaire').set(auth(investor.token)).expect(200);
    expect(questionnaire.body.version).toBe(RQ_2025_1.version);
    const assessment = await assessed(investor.token, C3);
    expect(assessment).toMatchObject({ category: 'C3', lowestCategory: false });

    const offered = await t.http.get('/advisory/products').set(auth(investor.token)).expect(200);
    expect(offered.body.items.map((p: { productId: string }) => p.productId)).toContain(r3);
    expect(offered.body.items.map((p: { productId: string }) => p.productId)).not.toContain(r5);

    const preview = await t.http
      .post('/advisory/suitability-check')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'recommendation' })
      .expect(200);
    expect(preview.body).toMatchObject({ decision: 'match', ruleSetVersion: 'SM-2025.1' });

    const coupon = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const refused = await purchase(investor.token, coupon.body.engagementId, { coupons: ['WELCOME10'] }).expect(422);
    expect(refused.body).toMatchObject({ code: 'PURCHASE.INCENTIVE_NOT_ALLOWED', rule: 'V2' });
    expect(refused.body.details.violations.map((v: { rule: string }) => v.rule)).toEqual(expect.arrayContaining(['V2', 'A6']));

    const { id, matched, contract, purchase: bought, after } = await buy(investor.token, r3);
    expect(matched.opinion).toMatchObject({ decision: 'match', ruleSetVersion: 'SM-2025.1' });
    expect(contract.contract.rescissionDeadline).toEqual(expect.any(String));
    const paymentId = bought.paymentIntentId as string;

    // The sandbox provider captured the fee for the company account, and that capture activated the subscription.
    expect(after).toMatchObject({ status: 'active', subscription: { payments: [{ paymentIntentId: paymentId, status: 'captured' }] } });
    expect(await payment(investor.token, paymentId)).toMatchObject({
      status: 'captured',
      payee: 'company:settlement',
      purpose: 'advisory',
      referenceId: id,
      capturedMinor: 98000,
    });
    const engagements = await t.http.get('/advisory/engagements').set(auth(investor.token)).expect(200);
    expect(engagements.body.find((e: { engagementId: string }) => e.engagementId === id)).toMatchObject({
      status: 'active',
      decision: 'match',
      paidMinor: 98000,
    });

    // Same key and body: the first response again, marked as a replay, and still one payment.
    const replay = await purchase(investor.token, id, {}, `buy-${id}`).expect(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(bought);
    const mine = await t.http.get('/me/payments').set(auth(investor.token)).expect(200);
    expect(mine.body.map((p: { paymentId: string }) => p.paymentId)).toEqual([paymentId]);

    const rescinded = await t.http
      .post(`/advisory/engagements/${id}/rescission`)
      .set(auth(investor.token))
      .set('Idempotency-Key', `rescind-${id}`)
      .send({ notice: '本人书面通知解除协议' })
      .expect(200);
    expect(rescinded.body).toMatchObject({
      status: 'rescinded',
      refund: {
        amount: { amountMinor: 98000, currency: 'CNY' },
        refunds: [{ paymentIntentId: paymentId, refundId: expect.any(String), amount: { amountMinor: 98000 } }],
      },
    });
    const again = await t.http
      .post(`/advisory/engagements/${id}/rescission`)
      .set(auth(investor.token))
      .set('Idempotency-Key', `rescind-${id}`)
      .send({ notice: '本人书面通知解除协议' })
      .expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');

    // The provider pays the refund back; its completion shows on the payment.
    await paymentsSettled(t);
    await t.catchUp();
    const refundId = rescinded.body.refund.refunds[0].refundId;
    expect(await payment(investor.token, paymentId)).toMatchObject({
      status: 'captured',
      refundedMinor: 98000,
      refunds: [expect.objectContaining({ refundId, amountMinor: 98000, status: 'completed' })],
    });
    const paymentEvents = await t.app.get(PgEventStore).readStream(paymentStreamId(paymentId));
    expect(paymentEvents.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'payments.PaymentRequested',
        'payments.PaymentCaptured',
        'payments.RefundRequested',
        'payments.RefundCompleted',
      ]),
    );
    expect(paymentEvents.filter((e) => e.type === 'payments.RefundCompleted')).toHaveLength(1);

    const advisoryEvents = await t.app.get(PgEventStore).readStream(`advisory.engagement-${id}`);
    for (const event of advisoryEvents)
      expect(event.metadata).toMatchObject({ actor: expect.any(String), occurredAt: expect.any(String), channel: expect.any(String) });
    const account = await t.http.get('/advisory/account').set(auth(investor.token)).expect(200);
    expect(account.body).toMatchObject({
      classification: 'ordinary',
      mobileMasked: '139****5678',
      assessment: { category: 'C3', confirmed: true },
    });
  });

  it('professional investor: compliance approval (maker-checker), then an R5 product at C2 without a mismatch (A2)', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('31010419900101123')).expect(201);
    await assessed(investor.token, C2);
    const application = await t.http
      .post('/advisory/account/professional-applications')
      .set(auth(investor.token))
      .send({
        financialAssetsMinor: 600_000_000,
        experienceYears: 5,
        documents: [{ kind: 'brokerage_statement', contentHash: 'd'.repeat(64) }],
      })
      .expect(201);
    const reviewPath = `/staff/advisory/investors/${investor.userId}/professional-applications/${application.body.applicationId}/review`;
    const selfApproval = await t.http.post(reviewPath).set(auth(investor.token)).send({ approve: true }).expect(403);
    expect(selfApproval.body).toMatchObject({ rule: 'A2' });
    // The review queue lists it with the evidence submitted and the maker; compliance only.
    await t.catchUp();
    await t.http.get('/staff/advisory/professional-applications').set(auth(investor.token)).expect(403);
    const unknown = await t.http.get('/staff/advisory/professional-applications?status=lost').set(auth(staff.compliance.token)).expect(400);
    expect(unknown.body.code).toBe('CLASSIFICATION.STATUS_UNKNOWN');
    const pending = await t.http.get('/staff/advisory/professional-applications').set(auth(staff.compliance.token)).expect(200);
    expect(pending.body.find((a: { applicationId: string }) => a.applicationId === application.body.applicationId)).toMatchObject({
      investorId: investor.userId,
      status: 'pending',
      appliedBy: investor.userId,
      reviewedBy: null,
      classification: 'ordinary',
      evidence: {
        financialAssetsMinor: 600_000_000,
        experienceYears: 5,
        documents: [{ kind: 'brokerage_statement', contentHash: 'd'.repeat(64) }],
      },
    });
    await t.http.post(reviewPath).set(auth(staff.compliance.token)).send({ approve: true }).expect(200);
    await t.catchUp();
    const stillPending = await t.http.get('/staff/advisory/professional-applications').set(auth(staff.compliance.token)).expect(200);
    expect(stillPending.body.map((a: { applicationId: string }) => a.applicationId)).not.toContain(application.body.applicationId);
    const approved = await t.http
      .get('/staff/advisory/professional-applications?status=approved')
      .set(auth(staff.compliance.token))
      .expect(200);
    expect(approved.body.find((a: { applicationId: string }) => a.applicationId === application.body.applicationId)).toMatchObject({
      status: 'approved',
      reviewedBy: staff.compliance.userId,
      classification: 'professional',
    });

    const offered = await t.http.get('/advisory/products').set(auth(investor.token)).expect(200);
    expect(offered.body.items.map((p: { productId: string }) => p.productId)).toEqual(expect.arrayContaining([r3, r5]));
    const { purchase: bought, after } = await buy(investor.token, r5);
    expect(after).toMatchObject({
      status: 'active',
      opinion: { decision: 'match', fired: [expect.objectContaining({ code: 'SUITABILITY.PROFESSIONAL_ANY_LEVEL', rule: 'A2' })] },
    });
    expect(await payment(investor.token, bought.paymentIntentId)).toMatchObject({
      status: 'captured',
      payee: 'company:settlement',
      capturedMinor: 98000,
    });
    const visits = await t.http.get('/staff/advisory/return-visits').set(auth(staff.compliance.token)).expect(200);
    expect(visits.body.find((v: { investorId: string }) => v.investorId === investor.userId)).toBeUndefined();
  });

  it('A5/A8: C2 buying R3 on own initiative needs the warning; the sale gets a return visit by compliance after 24 h, never by the advisor', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('44030619880808123')).expect(201);
    await assessed(investor.token, C2);
    const offered = await t.http.get('/advisory/products').set(auth(investor.token)).expect(200);
    expect(offered.body.items.map((p: { productId: string }) => p.productId)).not.toContain(r3);
    const pushed = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'push' })
      .expect(422);
    expect(pushed.body).toMatchObject({ code: 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', rule: 'A5' });

    const { id, after } = await buy(investor.token, r3, true);
    expect(after).toMatchObject({ status: 'active', returnVisit: { status: 'queued' } });
    // The signed warning and insistence show as done, with who signed what, when and through which channel (E4).
    expect(after.opinion).toMatchObject({ decision: 'mismatch_allowed_with_warning', outstanding: [] });
    expect(after.steps.map((s: { kind: string }) => s.kind)).toEqual([
      'suitability_matching',
      'risk_disclosure',
      'special_risk_warning',
      'insistence',
      'contract',
    ]);
    expect(after.steps.find((s: { kind: string }) => s.kind === 'special_risk_warning')).toMatchObject({
      actorId: investor.userId,
      channel: expect.any(String),
      at: expect.any(String),
      documentHash: hashOf('special_risk_warning'),
    });
    const checklist = {
      identity: true,
      understood_contract_and_risks: true,
      suitability: true,
      fees: true,
      loss_awareness: true,
      rescission_rights: true,
      dispute_route: true,
    };
    const byAdvisor = await t.http
      .post(`/staff/advisory/return-visits/${id}`)
      .set(auth(advisor.token))
      .send({ checklist, notes: 'call' })
      .expect(403);
    expect(byAdvisor.body).toMatchObject({ code: 'RETURN_VISIT.STAFF_IN_SALES', rule: 'A8' });
    const tooEarly = await t.http
      .post(`/staff/advisory/return-visits/${id}`)
      .set(auth(staff.compliance.token))
      .send({ checklist, notes: 'call' })
      .expect(422);
    expect(tooEarly.body).toMatchObject({ code: 'RETURN_VISIT.COOLING_OFF', rule: 'A8' });
    t.clock.advance(25 * 3_600_000);
    await t.http
      .post(`/staff/advisory/return-visits/${id}`)
      .set(auth(staff.compliance.token))
      .send({ checklist, notes: 'call' })
      .expect(200);
    const done = await t.http.get('/staff/advisory/return-visits?status=completed').set(auth(staff.compliance.token)).expect(200);
    expect(done.body.find((v: { engagementId: string }) => v.engagementId === id)).toMatchObject({
      outcome: 'confirmed',
      completedBy: staff.compliance.userId,
    });
  });

  it('L4: raising the product rating blocks renewal for a subscriber who no longer matches, and notifies them', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('11010819920315123')).expect(201);
    await assessed(investor.token, C3);
    const product = await publishListing(t, staff, advisoryListing({ title: '成长精选' }));
    const { id } = await buy(investor.token, product);
    const change = await t.http
      .post(`/catalog/listings/${product}/risk-rating-changes`)
      .set(auth(staff.pm.token))
      .send({ riskLevel: 'R4', riskFactors: { liquidity: 3, principalLoss: 4, complexity: 4, leverage: 2 }, reason: 'leverage added' })
      .expect(201);
    await t.http
      .post(`/catalog/listings/${product}/risk-rating-changes/${change.body.changeId}/approve`)
      .set(auth(staff.compliance.token))
      .expect(200);
    await t.catchUp();
    await t.catchUp();
    const notifications = await t.http.get('/advisory/notifications').set(auth(investor.token)).expect(200);
    expect(notifications.body.map((n: { kind: string }) => n.kind).sort()).toEqual(['product_rerated', 'renewal_blocked']);
    const renewal = await t.http
      .post(`/advisory/engagements/${id}/renewal`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({})
      .expect(422);
    expect(renewal.body).toMatchObject({ code: 'RENEWAL.BLOCKED_UNTIL_REMATCHED', rule: 'L4' });

    // Matching again on own initiative, with the special risk warning for the new rating, unblocks the renewal.
    const rematched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: product, initiatedBy: 'investor', engagementId: id })
      .expect(201);
    expect(rematched.body).toMatchObject({
      engagementId: id,
      status: 'active',
      renewalBlocked: false,
      opinion: { decision: 'mismatch_allowed_with_warning' },
    });
    await t.http
      .post(`/advisory/engagements/${id}/special-risk-warning`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('special_risk_warning') })
      .expect(200);
    await t.http
      .post(`/advisory/engagements/${id}/insistence`)
      .set(auth(investor.token))
      .send({ statement: '已知晓评级上调，坚持续订' })
      .expect(200);
    const renewed = await t.http
      .post(`/advisory/engagements/${id}/renewal`)
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({})
      .expect(201);
    expect(renewed.body.subscription.payments).toHaveLength(2);
    expect((await settled(investor.token, id)).subscription.payments.map((p: { status: string }) => p.status)).toEqual([
      'captured',
      'captured',
    ]);
  });

  it('A3: a third assessment in one calendar day is refused; the history is kept', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('32010619870707123')).expect(201);
    await assessed(investor.token, C3);
    await t.http.post('/advisory/assessments').set(auth(investor.token)).send({ answers: C2 }).expect(201);
    const third = await t.http.post('/advisory/assessments').set(auth(investor.token)).send({ answers: C3 }).expect(422);
    expect(third.body).toMatchObject({ code: 'ASSESSMENT.DAILY_LIMIT', rule: 'A3' });
    const history = await t.http.get('/advisory/assessments').set(auth(investor.token)).expect(200);
    expect(history.body.map((a: { category: string }) => a.category)).toEqual(['C3', 'C2']);
  });

  it('A3/A7: a reported material change withdraws the assessment, and the purchase gate refuses until re-assessed', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('51010719930909123')).expect(201);
    await assessed(investor.token, C3);
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    const changed = await t.http
      .post('/advisory/account/material-changes')
      .set(auth(investor.token))
      .send({ description: 'retired', profile: { ...profile, occupation: 'retired' } })
      .expect(200);
    expect(changed.body).toMatchObject({ reassessmentRequired: true, withdrawnAssessmentId: expect.any(String) });
    const refused = await purchase(investor.token, id).expect(422);
    expect(refused.body).toMatchObject({ code: 'PURCHASE.ASSESSMENT_NOT_IN_FORCE', rule: 'A7' });
  });

  it('A7: a declined payment leaves the subscription payment_failed and inactive; buying again with a new payment activates it', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('13010219900505123')).expect(201);
    await assessed(investor.token, C3);
    const { id, purchase: declined, after } = await buy(investor.token, r3, false, { paymentMethod: 'sandbox_decline' });
    expect(after).toMatchObject({
      status: 'payment_failed',
      subscription: { payments: [{ paymentIntentId: declined.paymentIntentId, status: 'failed' }] },
    });
    expect(await payment(investor.token, declined.paymentIntentId)).toMatchObject({ status: 'failed', capturedMinor: 0 });
    const listed = await t.http.get('/advisory/engagements').set(auth(investor.token)).expect(200);
    expect(listed.body.find((e: { engagementId: string }) => e.engagementId === id)).toMatchObject({
      status: 'payment_failed',
      paidMinor: 0,
    });

    const retried = await purchase(investor.token, id).expect(201);
    expect(retried.body.paymentIntentId).not.toBe(declined.paymentIntentId);
    expect(await settled(investor.token, id)).toMatchObject({
      status: 'active',
      subscription: { payments: [{ paymentIntentId: retried.body.paymentIntentId, status: 'captured' }] },
    });
  });

  it('idempotency: a purchase needs an Idempotency-Key (400); the same key with another body is refused (422)', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('14010219900505123')).expect(201);
    await assessed(investor.token, C3);
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    const keyless = await t.http.post(`/advisory/engagements/${id}/purchase`).set(auth(investor.token)).send({}).expect(400);
    expect(keyless.body.code).toBe('IDEMPOTENCY.KEY_REQUIRED');
    const k = key();
    const first = await purchase(investor.token, id, {}, k).expect(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const reused = await purchase(investor.token, id, { paymentMethod: 'sandbox_decline' }, k).expect(422);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    await paymentsSettled(t);
  });

  it('idempotency: two purchases racing with the same Idempotency-Key make one subscription and one payment', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('21010219910202123')).expect(201);
    await assessed(investor.token, C3);
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    const responses = await Promise.all(Array.from({ length: 8 }, () => purchase(investor.token, id, {}, 'same-key')));
    // The first runs; the others replay it or, while it is still running, are told so (409).
    const created = responses.filter((r) => r.status === 201);
    expect(responses.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.code === 'IDEMPOTENCY.IN_PROGRESS')).toBe(
      true,
    );
    expect(created.filter((r) => r.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    expect(new Set(created.map((r) => r.body.paymentIntentId)).size).toBe(1);
    await paymentsSettled(t);
    const payments = await t.http.get('/me/payments').set(auth(investor.token)).expect(200);
    expect(payments.body).toHaveLength(1);
    expect(
      (await t.app.get(PgEventStore).readStream(`advisory.engagement-${id}`)).filter((e) => e.type === 'advisory.SubscriptionPurchased'),
    ).toHaveLength(1);
  });

  it('A6: serials are the server’s: a client-chosen one is refused, concurrent signings get consecutive serials, a refused signing uses none', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('42010619891111123')).expect(201);
    await assessed(investor.token, C3);
    const engagement = async (disclosed = true) => {
      const matched = await t.http
        .post('/advisory/engagements')
        .set(auth(investor.token))
        .send({ productId: r3, initiatedBy: 'investor' })
        .expect(201);
      if (disclosed)
        await t.http
          .post(`/advisory/engagements/${matched.body.engagementId}/risk-disclosure`)
          .set(auth(investor.token))
          .send({ contentHash: hashOf('risk_disclosure') })
          .expect(200);
      return matched.body.engagementId as string;
    };
    const sign = (id: string, body: Record<string, unknown> = {}) =>
      t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send(body);
    const numberOf = (serial: string) => Number(serial.slice(-6));

    const chosen = await sign(await engagement(), { serial: 'AC-MINE-1' }).expect(400);
    expect(chosen.body.code).toBe('VALIDATION.FAILED');

    const ids = await Promise.all(Array.from({ length: 6 }, () => engagement()));
    const signed = await Promise.all(ids.map((id) => sign(id)));
    expect(signed.map((r) => r.status)).toEqual(ids.map(() => 200));
    const numbers = signed.map((r) => numberOf(r.body.contract.serial)).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));

    // A preview taken before those signings shows a serial that is now taken: signing what was shown is refused.
    const late = await engagement();
    const stale = await t.http.get(`/advisory/engagements/${late}/contract-preview`).set(auth(investor.token)).expect(200);
    await sign(await engagement()).expect(200);
    const outdated = await sign(late, { contentHash: stale.body.contentHash }).expect(422);
    expect(outdated.body).toMatchObject({ code: 'CONTRACT.PREVIEW_OUTDATED', rule: 'A6' });
    numbers.push(numbers[numbers.length - 1] + 1);

    // Not yet disclosed: refused, and the number it would have had goes to the next signing.
    await sign(await engagement(false)).expect(422);
    const next = await sign(await engagement()).expect(200);
    expect(numberOf(next.body.contract.serial)).toBe(numbers[numbers.length - 1] + 1);

    // The year's register holds every serial ever assigned: 1..n, no gap, no duplicate, each with its engagement.
    const year = next.body.contract.serial.slice(4, 8);
    const register = await t.app.get(PgEventStore).readStream(`advisory.contract-serials-${year}`);
    expect(register.map((e) => e.data.number)).toEqual(register.map((_, i) => i + 1));
    expect(new Set(register.map((e) => e.data.serial)).size).toBe(register.length);
    expect(register.find((e) => e.data.serial === next.body.contract.serial)?.data.engagementId).toBe(next.body.engagementId);
  });

  it('A3: validity is the firm policy, never the investor’s: an assessment naming its own validity is refused (400)', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('43010619891111123')).expect(201);
    const refused = await t.http
      .post('/advisory/assessments')
      .set(auth(investor.token))
      .send({ answers: C3, validityMonths: 24 })
      .expect(400);
    expect(refused.body.code).toBe('VALIDATION.FAILED');
    const assessment = await t.http.post('/advisory/assessments').set(auth(investor.token)).send({ answers: C3 }).expect(201);
    expect(assessment.body).toMatchObject({ validityPolicy: { version: 'AV-12M', months: 12 } });
    const [, assessedEvent] = await t.app.get(PgEventStore).readStream(`advisory.investor-${investor.userId}`);
    expect(assessedEvent.data).toMatchObject({ validityPolicy: { version: 'AV-12M', months: 12 }, validUntil: assessment.body.validUntil });
  });

  it('A5: after an advisor records a contact, the client’s “investor-initiated” is overridden: an above-level purchase is refused naming A5 and the contact', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('44010619891111123')).expect(201);
    await assessed(investor.token, C2);
    // Matched on the investor's own initiative, warning and insistence signed, contract signed...
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http
      .post(`/advisory/engagements/${id}/special-risk-warning`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('special_risk_warning') })
      .expect(200);
    await t.http
      .post(`/advisory/engagements/${id}/insistence`)
      .set(auth(investor.token))
      .send({ statement: '我已知晓风险，坚持购买' })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    // ...then the advisor calls the investor about the product.
    const byInvestor = await t.http
      .post(`/staff/advisory/investors/${investor.userId}/contacts`)
      .set(auth(investor.token))
      .send({ productId: r3, source: 'advisor_contact' })
      .expect(403);
    expect(byInvestor.body.code).toBe('AUTH.ROLE_REQUIRED');
    const contact = await t.http
      .post(`/staff/advisory/investors/${investor.userId}/contacts`)
      .set(auth(advisor.token))
      .send({ productId: r3, source: 'advisor_contact', reference: 'call-2026-001' })
      .expect(201);
    const refused = await purchase(investor.token, id).expect(422);
    expect(refused.body).toMatchObject({
      code: 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED',
      rule: 'A5',
      details: {
        initiation: {
          initiatedBy: 'advisor_contact',
          claimed: 'investor',
          contact: { contactId: contact.body.contactId, reference: 'call-2026-001' },
        },
      },
    });
    // A new matching opinion says the same, whatever the client claims.
    const rematch = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(422);
    expect(rematch.body).toMatchObject({ code: 'SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', rule: 'A5' });
  });

  it('A5 / SM 22(5): a lowest-category investor re-assessed after matching is refused for the lowest category at top level, the stale assessment in details', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('45010619891111123')).expect(201);
    await assessed(investor.token, C2);
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http
      .post(`/advisory/engagements/${id}/special-risk-warning`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('special_risk_warning') })
      .expect(200);
    await t.http
      .post(`/advisory/engagements/${id}/insistence`)
      .set(auth(investor.token))
      .send({ statement: '我已知晓风险，坚持购买' })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    await assessed(investor.token, LOWEST_ANSWERS);
    const refused = await purchase(investor.token, id).expect(422);
    expect(refused.body).toMatchObject({ code: 'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', rule: 'A5' });
    expect(refused.body.details.violations.map((v: { code: string }) => v.code)).toEqual(
      expect.arrayContaining(['SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', 'PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING']),
    );
  });

  it('E3: compliance destroys an investor’s personal-data key; the log keeps only masked data and still reads back', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('65010219840404123')).expect(201);
    const [opened] = await t.app.get(PgEventStore).readStream(`advisory.investor-${investor.userId}`);
    const vault = t.app.get(PiiVault);
    expect(await vault.read(String(opened.data.piiRef))).toMatchObject({ status: 'available', pii: { mobile: '13912345678' } });
    expect(JSON.stringify(opened.data)).not.toContain('13912345678');

    const denied = await t.http
      .post(`/staff/advisory/investors/${investor.userId}/personal-data/shredding`)
      .set(auth(advisor.token))
      .send({ reason: 'PIPL 47' })
      .expect(403);
    expect(denied.body.code).toBe('AUTH.ROLE_REQUIRED');
    await t.http
      .post(`/staff/advisory/investors/${investor.userId}/personal-data/shredding`)
      .set(auth(staff.compliance.token))
      .send({ reason: 'PIPL 47 deletion request' })
      .expect(200);
    expect(await vault.read(String(opened.data.piiRef))).toEqual({ status: 'shredded' });
    const account = await t.http.get('/advisory/account').set(auth(investor.token)).expect(200);
    expect(account.body).toMatchObject({ personalDataShredded: true, nationalIdMasked: expect.stringContaining('**********') });
  });

  it('a purchase whose charge died with the process is charged by the payments outbox, and the engagement leaves payment_pending', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('11010519850614003')).expect(201);
    await assessed(investor.token, C3);
    const lost = jest.spyOn(t.app.get(PaymentGateway), 'charge').mockImplementation(() => undefined);
    const { id, purchase: bought, after } = await buy(investor.token, r3);
    lost.mockRestore();
    expect(after).toMatchObject({ status: 'payment_pending' });
    t.clock.advance(60_000);
    await t.app.get(PaymentOutbox).redrive();
    expect(await settled(investor.token, id)).toMatchObject({
      status: 'active',
      subscription: { payments: [{ paymentIntentId: bought.paymentIntentId, status: 'captured' }] },
    });
  });

  it('A9/V3: the product advisor publishes advice with its basis; a guaranteed-return phrase is blocked', async () => {
    const ok = await t.http
      .post(`/advisory/products/${r3}/advice`)
      .set(auth(advisor.token))
      .send({
        content: '关注消费板块估值修复，分批建仓，控制仓位。',
        basis: { kind: 'research_report', issuer: '某证券研究所', reportDate: '2025-01-15' },
      })
      .expect(201);
    expect(ok.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const blocked = await t.http
      .post(`/advisory/products/${r3}/advice`)
      .set(auth(advisor.token))
      .send({ content: '这只股票稳赚不赔', basis: { kind: 'model', modelVersion: 'm-1' } })
      .expect(422);
    expect(blocked.body).toMatchObject({ code: 'ADVICE.CONTENT_BLOCKED', rule: 'V3' });
  });
  it('A7: an assessment that expires between matching and purchase refuses the purchase (moves the clock; keep last)', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('37020219860606123')).expect(201);
    await assessed(investor.token, C3);
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    t.clock.advance(366 * 24 * 3_600_000);
    const refused = await purchase(investor.token, id).expect(422);
    expect(refused.body).toMatchObject({ code: 'PURCHASE.ASSESSMENT_EXPIRED', rule: 'A7' });
  });

  it('A3/A7: an assessment recorded with an investor-chosen 24 months is held to the 12-month policy: a purchase 13 months later is refused (moves the clock)', async () => {
    const investor = await t.register();
    await open(investor.token, idFor('46010619891111123')).expect(201);
    // As recorded before validity was the firm's policy: no policy, validUntil 24 months on.
    const now = t.clock.now().toISOString();
    const store = t.app.get(PgEventStore);
    const stream = `advisory.investor-${investor.userId}`;
    const [opened] = await store.readStream(stream);
    await store.append(
      stream,
      [
        {
          id: randomUUID(),
          type: 'advisory.RiskAssessed',
          data: {
            investorId: investor.userId,
            assessmentId: 'asm-legacy',
            questionnaireVersion: RQ_2025_1.version,
            questionnaireHash: questionnaireHash(RQ_2025_1),
            answers: C3,
            score: 39,
            category: 'C3',
            lowestCategory: false,
            lowestCategoryReasons: [],
            validUntil: new Date(Date.parse(now) + 730 * 24 * 3_600_000).toISOString(),
            step: { actorId: investor.userId, at: now, channel: 'app' },
          },
          metadata: { actor: investor.userId, correlationId: randomUUID(), occurredAt: now, channel: 'app' },
        },
      ],
      opened.revision,
    );
    await t.http.post('/advisory/assessments/asm-legacy/confirmation').set(auth(investor.token)).expect(200);
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    const id = matched.body.engagementId;
    await t.http
      .post(`/advisory/engagements/${id}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    await t.http.post(`/advisory/engagements/${id}/contract`).set(auth(investor.token)).send({}).expect(200);
    t.clock.advance(396 * 24 * 3_600_000);
    const refused = await purchase(investor.token, id).expect(422);
    expect(refused.body).toMatchObject({ code: 'PURCHASE.ASSESSMENT_EXPIRED', rule: 'A7' });
    const history = await t.http.get('/advisory/assessments').set(auth(investor.token)).expect(200);
    expect(history.body[0].validUntil < history.body[0].recordedValidUntil).toBe(true);
  });
});

/**
 * The audit trail of a real advisory sale (E2, E3, E4, E5): an investor goes from account opening to a purchase; the
 * compliance officer then reconstructs the file at chosen instants, exports it as verifiable evidence, shreds the
 * investor's personal data and checks that every hash still verifies.
 */
import { AUDIT_SIGNING, AuditSigning, checkShredding, parseVerifierKey, verifyAuditLog, verifyEvidenceLines } from '@app/audit';
import { nationalIdCheckChar } from '@app/advisory';
import { PgEventStore } from '@app/event-store';
import { createTestApp, TestApp } from './support/app';
import { advisoryListing, auth, publishListing, registerStaff, Staff } from './marketplace/fixtures';
import { paymentsSettled } from './marketplace/support';
import { ANSWERS } from '../libs/advisory/src/domain/testing/fixtures';

const answersC3 = ANSWERS.C3;
const profile = {
  occupation: 'engineer',
  incomeBand: '100k_500k',
  assetsBand: '500k_3m',
  experienceYears: 3,
  objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: 'long' },
};

describe('audit of an advisory sale (e2e)', () => {
  let t: TestApp;
  let staff: Staff;
  let investor: { userId: string; token: string };
  let engagementId: string;
  let documents: { kind: string; contentHash: string }[];
  const instants: Record<string, string> = {};
  const minute = () => t.clock.advance(60_000);
  const now = () => t.clock.now().toISOString();
  const officer = () => auth(staff.compliance.token);

  beforeAll(async () => {
    t = await createTestApp();
    staff = await registerStaff(t);
    const advisor = await t.register('advisor');
    const advisors = [{ advisorId: advisor.userId, name: '李明', sacRegistrationCode: 'S0260611080001' }];
    const productId = await publishListing(t, staff, advisoryListing({ advisory: { ...advisoryListing().advisory, advisors } }));
    documents = (await t.http.get('/advisory/documents').set(auth(staff.pm.token)).expect(200)).body;
    const hashOf = (kind: string) => documents.find((d) => d.kind === kind)!.contentHash;

    const consentTextHash = documents.find((d) => d.kind === 'sensitive_data_consent')!.contentHash;
    investor = await t.register();
    const nationalId = '11010519850614002' + nationalIdCheckChar('11010519850614002');
    await t.http
      .post('/advisory/account')
      .set(auth(investor.token))
      .send({ legalName: '王小明', nationalId, mobile: '13912345678', profile, sensitiveDataConsent: true, consentTextHash })
      .expect(201);
    minute();
    const assessment = await t.http.post('/advisory/assessments').set(auth(investor.token)).send({ answers: answersC3 }).expect(201);
    await t.http.post(`/advisory/assessments/${assessment.body.assessmentId}/confirmation`).set(auth(investor.token)).expect(200);
    minute();
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(investor.token))
      .send({ productId, initiatedBy: 'investor' })
      .expect(201);
    engagementId = matched.body.engagementId;
    minute();
    instants.matched = now();
    minute();
    await t.http
      .post(`/advisory/engagements/${engagementId}/risk-disclosure`)
      .set(auth(investor.token))
      .send({ contentHash: hashOf('risk_disclosure') })
      .expect(200);
    minute();
    instants.disclosed = now();
    minute();
    await t.http.post(`/advisory/engagements/${engagementId}/contract`).set(auth(investor.token)).send({}).expect(200);
    await t.http
      .post(`/advisory/engagements/${engagementId}/purchase`)
      .set(auth(investor.token))
      .set('Idempotency-Key', `buy-${engagementId}`)
      .send({})
      .expect(201);
    minute();
    instants.purchased = now();
  });
  afterAll(async () => t.close());

  it('E4: reconstructs the file at the moment of matching: C-level and opinion in force, nothing confirmed yet', async () => {
    const res = await t.http
      .get(`/audit/investors/${investor.userId}/snapshot`)
      .query({ at: instants.matched, reason: 'complaint 2026-118' })
      .set(officer())
      .expect(200);
    expect(res.body.riskAssessment).toMatchObject({ category: 'C3', inForce: true, confirmedAt: expect.any(String) });
    expect(res.body.engagements).toHaveLength(1);
    expect(res.body.engagements[0]).toMatchObject({ engagementId, ruleSetVersion: expect.any(String), confirmedDocuments: [] });
    expect(res.body.engagements[0].contract).toBeUndefined();
  });

  it('E4: after disclosure and contract, shows which documents were confirmed, by hash, and the contract', async () => {
    const disclosed = await t.http
      .get(`/audit/investors/${investor.userId}/snapshot`)
      .query({ at: instants.disclosed, reason: 'complaint 2026-118' })
      .set(officer())
      .expect(200);
    const disclosure = documents.find((d) => d.kind === 'risk_disclosure')!.contentHash;
    expect(disclosed.body.engagements[0].confirmedDocuments).toEqual([
      expect.objectContaining({ contentHash: disclosure, confirmedBy: investor.userId }),
    ]);
    const purchased = await t.http
      .get(`/audit/investors/${investor.userId}/snapshot`)
      .query({ at: instants.purchased, reason: 'complaint 2026-118' })
      .set(officer())
      .expect(200);
    expect(purchased.body.engagements[0]).toMatchObject({
      contract: { serial: expect.stringMatching(/^ADV-\d{4}-\d{6}$/) },
      subscriptions: [expect.objectContaining({ ruleSetVersion: expect.any(String) })],
    });
  });

  it('E2, E4: exports the investor file as evidence that verifies offline', async () => {
    const res = await t.http
      .post('/audit/exports')
      .set(officer())
      .send({ investorId: investor.userId, reason: 'regulator inspection 2026-11' })
      .buffer(true)
      .parse((stream, done) => {
        let body = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => done(null, body));
      });
    expect([res.status, res.status === 200 ? 'ndjson' : res.body]).toEqual([200, 'ndjson']);
    const { verifierKey } = (await t.http.get('/audit/verifier-key').expect(200)).body;
    const report = await verifyEvidenceLines((res.body as string).trim().split('\n'), { trustedVerifierKey: verifierKey });
    expect(report).toMatchObject({ ok: true });
    expect(report.eventsVerified).toBeGreaterThanOrEqual(7);
  });

  it('E5: the officer reads of this file are on record, with the reasons given', async () => {
    const trail = await t.http
      .get('/audit/events')
      .query({ type: 'audit.EvidenceAccessed', actor: staff.compliance.userId, reason: 'access review' })
      .set(officer())
      .expect(200);
    const kinds = trail.body.items.map((e: { data: { kind: string; subject: { investorId?: string }; reason: string } }) => [
      e.data.kind,
      e.data.subject.investorId,
      e.data.reason,
    ]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['investor_snapshot', investor.userId, 'complaint 2026-118'],
        ['evidence_export', investor.userId, 'regulator inspection 2026-11'],
      ]),
    );
  });

  describe('the investor reads their own file (PIPL 45)', () => {
    const readLines = (request: ReturnType<TestApp['http']['get']>) =>
      request.buffer(true).parse((stream, done) => {
        let body = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => done(null, body));
      });
    type Entry = { eventId: string; streamId: string; type: string; data: Record<string, unknown> };

    it('E4: my timeline holds my events, my engagement and the payment of my purchase, and nothing of anyone else', async () => {
      await paymentsSettled(t);
      await t.catchUp();
      const other = await t.register();
      await t.http.post('/advisory/assessments').set(auth(other.token)).send({ answers: answersC3 });
      const mine = (await t.http.get('/me/timeline').set(auth(investor.token)).expect(200)).body as Entry[];
      const types = mine.map((e) => e.type);
      expect(types).toEqual(
        expect.arrayContaining([
          'identity.UserRegistered',
          'advisory.AccountOpened',
          'advisory.ContractSigned',
          'payments.PaymentRequested',
          'payments.PaymentCaptured',
        ]),
      );
      const payments = mine.filter((e) => e.type.startsWith('payments.'));
      const paymentStreams = new Set(payments.map((e) => e.streamId));
      expect(payments.find((e) => e.type === 'payments.PaymentRequested')!.data.payerId).toBe(investor.userId);
      for (const event of mine) {
        const ownership = [
          event.data.investorId === investor.userId,
          event.data.engagementId === engagementId,
          paymentStreams.has(event.streamId),
          event.streamId === `user-${investor.userId}`,
        ];
        expect([event.type, ownership.some(Boolean)]).toEqual([event.type, true]);
      }
      // The compliance officer's timeline of the investor now shows the payments too.
      const officers = (
        await t.http.get(`/audit/investors/${investor.userId}/timeline`).query({ reason: 'complaint 2026-118' }).set(officer()).expect(200)
      ).body as Entry[];
      expect(officers.map((e) => e.eventId)).toEqual(expect.arrayContaining(payments.map((e) => e.eventId)));
      const theirs = (await t.http.get('/me/timeline').set(auth(other.token)).expect(200)).body as Entry[];
      const mineIds = new Set(mine.map((e) => e.eventId));
      expect(theirs.filter((e) => mineIds.has(e.eventId))).toEqual([]);
    });

    it("E5: an investor never reads another investor's file through the staff routes", async () => {
      const other = await t.register();
      await t.http
        .get(`/audit/investors/${investor.userId}/timeline`)
        .query({ reason: 'curious neighbour' })
        .set(auth(other.token))
        .expect(403);
      await t.http
        .post('/audit/exports')
        .set(auth(other.token))
        .send({ investorId: investor.userId, reason: 'curious neighbour' })
        .expect(403);
    });

    it('E2, E5: my evidence bundle verifies offline, holds only my events with my payment, and my reads are on record', async () => {
      const res = await readLines(t.http.get('/me/evidence').set(auth(investor.token)));
      expect(res.status).toBe(200);
      const lines = (res.body as string).trim().split('\n');
      const { verifierKey } = (await t.http.get('/audit/verifier-key').expect(200)).body;
      expect(await verifyEvidenceLines(lines, { trustedVerifierKey: verifierKey })).toMatchObject({ ok: true });
      const header = JSON.parse(lines[0]);
      expect(header).toMatchObject({ exportedBy: investor.userId, query: { investorId: investor.userId } });
      const events = lines.slice(1, -1).map((line) => JSON.parse(line).event as Entry & { id: string });
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['payments.PaymentRequested', 'advisory.ContractSigned']));
      expect(events.every((e) => e.data.investorId === undefined || e.data.investorId === investor.userId)).toBe(true);

      const trail = await t.http
        .get('/audit/events')
        .query({ type: 'audit.EvidenceAccessed', actor: investor.userId, reason: 'access review' })
        .set(officer())
        .expect(200);
      const kinds = trail.body.items.map((e: { data: { kind: string; subject: { investorId?: string } } }) => [
        e.data.kind,
        e.data.subject.investorId,
      ]);
      expect(kinds).toEqual(
        expect.arrayContaining([
          ['own_timeline', investor.userId],
          ['own_evidence_export', investor.userId],
        ]),
      );
    });
  });

  it('E3: personal data stays out of payloads; after shredding, the key is gone and every hash still verifies', async () => {
    const pool = t.app.get(PgEventStore).pool;
    expect(await checkShredding(pool)).toMatchObject({ ok: true, vaultPresent: true, shreddedSubjects: 0 });
    await t.http
      .post(`/staff/advisory/investors/${investor.userId}/personal-data/shredding`)
      .set(officer())
      .send({ reason: 'PIPL 47 deletion request' })
      .expect(200);
    expect(await checkShredding(pool)).toMatchObject({ ok: true, shreddedSubjects: 1 });

    await t.http.post('/audit/checkpoints').set(officer()).expect(201);
    const signing = t.app.get<AuditSigning>(AUDIT_SIGNING);
    const verifier = parseVerifierKey(signing.verifierKey);
    if (!verifier.ok) throw new Error(verifier.reason);
    const report = await verifyAuditLog(pool, { verifier: verifier.value, origin: signing.origin });
    expect(report).toMatchObject({ ok: true, unsealedEvents: 0 });
  });
});

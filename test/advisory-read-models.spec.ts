import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { createDataSource, PgPiiVaultStore, PiiVault, reactionContext } from '@app/platform';
import { createTestDatabase, TestDatabase } from './support/db';
import { documentRef, engagementDecider, PLAIN_CALENDAR } from '@app/advisory';
import {
  ANSWERS,
  HOUR,
  INVESTOR,
  T0,
  assessedInvestor,
  at,
  disclosureDoc,
  play,
  product,
  snapshotOf,
  step,
  warningDoc,
} from '../libs/advisory/src/domain/testing/fixtures';
import { RerateSubscriberCommand, ReratingReactor } from '../libs/advisory/src/application/reactors/rerating.reactor';
import { AdvisoryProjection } from '../libs/advisory/src/projections/advisory.projection';

const recorded = (events: readonly { type: string; data: unknown }[]): RecordedEvent[] =>
  events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data }) as unknown as RecordedEvent);

describe('advisory read models (projection against PostgreSQL)', () => {
  let db: TestDatabase;
  let source: DataSource;
  const projection = new AdvisoryProjection();

  beforeAll(async () => {
    db = await createTestDatabase();
    source = createDataSource(db.url, [], 2);
    await source.initialize();
  });
  afterAll(async () => {
    await source.destroy();
    await db.drop();
  });

  const investor = assessedInvestor(ANSWERS.C2);
  const r3 = product('R3');
  const engagement = play(engagementDecider, [
    {
      type: 'MatchSuitability',
      engagementId: 'eng-1',
      investor: snapshotOf(investor, T0),
      product: r3,
      initiatedBy: 'investor',
      attributionWindowDays: 30,
      step: step(),
    },
    { type: 'ConfirmRiskDisclosure', engagementId: 'eng-1', document: documentRef(disclosureDoc), step: step() },
    { type: 'SignSpecialRiskWarning', engagementId: 'eng-1', document: documentRef(warningDoc), step: step() },
    { type: 'RecordInsistence', engagementId: 'eng-1', statement: 'I insist', step: step() },
    { type: 'SignContract', engagementId: 'eng-1', serial: 'AC-1', product: r3, calendar: PLAIN_CALENDAR, step: step() },
    {
      type: 'PurchaseSubscription',
      engagementId: 'eng-1',
      subscriptionId: 'sub-1',
      paymentIntentId: 'pi-1',
      price: { amountMinor: 99_900, currency: 'CNY' },
      incentives: [],
      investor: snapshotOf(investor, T0),
      product: r3,
      attributionWindowDays: 30,
      education: { requiredLessons: [], completedLessons: [] },
      step: step(),
    },
    { type: 'SettleSubscriptionPayment', engagementId: 'eng-1', paymentIntentId: 'pi-1', outcome: 'captured', step: step() },
  ]);

  it('projects the investor with masked identity only, the assessment history, the engagement and the return-visit queue', async () => {
    const batch = recorded([...investor, ...engagement]);
    await source.transaction((m) => projection.apply(batch, m));
    const [row] = await source.query(`SELECT * FROM advisory_investors WHERE investor_id = $1`, [INVESTOR]);
    expect(row).toMatchObject({
      national_id_masked: '1101**********002X',
      mobile_masked: '138****5678',
      classification: 'ordinary',
      category: 'C2',
      assessment_confirmed: true,
    });
    expect(JSON.stringify(row)).not.toContain('13812345678');
    expect(await source.query(`SELECT assessment_id, category FROM advisory_assessments`)).toEqual([
      { assessment_id: 'asm-1', category: 'C2' },
    ]);
    const [eng] = await source.query(
      `SELECT status, decision, contract_serial, paid_minor FROM advisory_engagements WHERE engagement_id = 'eng-1'`,
    );
    expect(eng).toEqual({ status: 'active', decision: 'mismatch_allowed_with_warning', contract_serial: 'AC-1', paid_minor: '99900' });
    const [visit] = await source.query(`SELECT status, reasons, workable_from FROM advisory_return_visits WHERE engagement_id = 'eng-1'`);
    expect(visit).toMatchObject({ status: 'queued', reasons: ['above_level'] });
    expect(new Date(visit.workable_from).toISOString()).toBe(at(T0, 24 * HOUR));
  });

  it('replaying the same events changes nothing', async () => {
    const before = await source.query(`SELECT * FROM advisory_engagements ORDER BY engagement_id`);
    await source.transaction((m) => projection.apply(recorded([...investor, ...engagement]), m));
    expect(await source.query(`SELECT * FROM advisory_engagements ORDER BY engagement_id`)).toEqual(before);
    expect(await source.query(`SELECT count(*)::int AS n FROM advisory_assessments`)).toEqual([{ n: 1 }]);
  });

  it('L4: the re-rating reactor reads the product’s active subscribers from the engagements and re-rates each', async () => {
    const [change] = recorded([
      { type: 'catalog.RiskRatingChangeApproved', data: { listingId: 'prod-1', from: 'R3', to: 'R4', upward: true } },
    ]);
    const approved = {
      ...change,
      metadata: { actor: 'officer', correlationId: 'corr-1', occurredAt: T0, channel: 'staff_console' },
    } as RecordedEvent;
    await source.transaction((m) => projection.apply([approved], m));
    const reactor = new ReratingReactor(source);
    const now = new Date(T0);
    const commands = (await reactor.react(approved)).map((next) => next.command(reactionContext(reactor, approved, next.key, now)));
    expect(commands).toEqual([
      new RerateSubscriberCommand(
        'prod-1',
        { engagementId: 'eng-1', investorId: INVESTOR, planId: 'plan-q' },
        reactionContext(reactor, approved, 'eng-1', now),
      ),
    ]);
    expect(await reactor.react({ ...approved, data: { listingId: 'prod-2' } })).toEqual([]);
  });

  it('E3: the vault stores only ciphertext, and shredding in PostgreSQL makes the record unreadable', async () => {
    const vault = new PiiVault(new PgPiiVaultStore(source), randomBytes(32));
    const ref = await vault.put(INVESTOR, 'r1', { legalName: '张三', nationalId: '11010519491231002X', mobile: '13812345678' });
    expect(await vault.read(ref)).toMatchObject({ status: 'available', pii: { mobile: '13812345678' } });
    const [stored] = await source.query(`SELECT ciphertext FROM advisory_pii_records WHERE ref = $1`, [ref]);
    expect((stored.ciphertext as Buffer).toString('latin1')).not.toContain('13812345678');
    expect(await vault.shred(INVESTOR)).toBe(true);
    expect(await vault.read(ref)).toEqual({ status: 'shredded' });
  });
});

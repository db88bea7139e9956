/**
 * Compliance search, investor timelines and evidence export against a real PostgreSQL (E2, E4).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { NewEvent, PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { reconstructInvestor } from '../domain/investor-snapshot';
import { verifyEvidenceLines } from '../domain/verification';
import { AuditSealer } from './audit-sealer';
import { PgAuditQueries } from './pg-audit-queries';
import { loadAuditSigning } from './signing-key';

const signing = loadAuditSigning(
  {
    AUDIT_LOG_ORIGIN: 'test.example/audit',
    AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
  },
  '/nonexistent',
);

const make = (type: string, data: Record<string, unknown>, actor: string, occurredAt: string): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor, correlationId: randomUUID(), occurredAt, channel: 'app' },
});

describe('compliance queries over the log (E4)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let queries: PgAuditQueries;
  let sealer: AuditSealer;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 10 });
    const store = new PgEventStore(pool, new Map(), 20);
    sealer = new AuditSealer(pool, signing);
    queries = new PgAuditQueries(pool);
    await store.append(
      'advisory.investor-inv-1',
      [
        make(
          'advisory.AccountOpened',
          { investorId: 'inv-1', classification: 'ordinary', profile: { occupation: 'engineer' } },
          'inv-1',
          '2026-01-01T00:00:00.000Z',
        ),
        make(
          'advisory.RiskAssessed',
          { investorId: 'inv-1', assessmentId: 'a1', category: 'C3', validUntil: '2027-01-01T00:00:00.000Z' },
          'inv-1',
          '2026-01-02T00:00:00.000Z',
        ),
      ],
      'no_stream',
    );
    await store.append(
      'advisory.engagement-g1',
      [
        make(
          'advisory.SuitabilityMatched',
          { engagementId: 'g1', investorId: 'inv-1', productId: 'p1', opinion: { ruleSetVersion: 'SM-2025.1' } },
          'inv-1',
          '2026-01-03T00:00:00.000Z',
        ),
        make(
          'advisory.RiskDisclosureConfirmed',
          { engagementId: 'g1', document: { kind: 'risk_disclosure', contentHash: 'c'.repeat(64) } },
          'inv-1',
          '2026-01-03T00:01:00.000Z',
        ),
      ],
      'no_stream',
    );
    await store.append(
      'advisory.investor-inv-2',
      [make('advisory.AccountOpened', { investorId: 'inv-2' }, 'inv-2', '2026-01-05T00:00:00.000Z')],
      'no_stream',
    );
    for (let i = 0; i < 25; i += 1) {
      await store.append(
        `catalog.listing-l${i}`,
        [make('catalog.ListingSubmitted', { listingId: `l${i}`, productId: i % 2 ? 'p1' : 'p2' }, 'pm-1', '2026-01-06T00:00:00.000Z')],
        'no_stream',
      );
    }
    await sealer.checkpoint();
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('filters by stream, type, actor and product', async () => {
    expect((await queries.search({ streamId: 'advisory.engagement-g1' })).items.map((e) => e.type)).toEqual([
      'advisory.SuitabilityMatched',
      'advisory.RiskDisclosureConfirmed',
    ]);
    expect((await queries.search({ type: 'advisory.AccountOpened' })).items).toHaveLength(2);
    expect((await queries.search({ actor: 'pm-1' })).items).toHaveLength(25);
    expect((await queries.search({ productId: 'p1' })).items).toHaveLength(13);
  });

  it("E4: an investor's search includes the events of their engagements", async () => {
    const items = (await queries.search({ investorId: 'inv-1' })).items;
    expect(items.map((e) => e.type)).toEqual([
      'advisory.AccountOpened',
      'advisory.RiskAssessed',
      'advisory.SuitabilityMatched',
      'advisory.RiskDisclosureConfirmed',
    ]);
    expect(items.every((e) => e.leafIndex !== null)).toBe(true);
  });

  it('filters by recording time', async () => {
    expect((await queries.search({ from: '2000-01-01T00:00:00Z', to: '2000-12-31T00:00:00Z' })).items).toHaveLength(0);
    expect((await queries.search({ from: '2000-01-01T00:00:00Z' })).items).toHaveLength(30);
  });

  it('pages with an opaque cursor, in commit order, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queries.search({}, { cursor, limit: 7 });
      seen.push(...page.items.map((e) => e.eventId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = (await queries.search({}, { limit: 1000 })).items.map((e) => e.eventId);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(30);
  });

  it('E4: reconstructs the investor file from the timeline at an instant', async () => {
    const snapshot = reconstructInvestor('inv-1', '2026-01-03T00:00:30.000Z', await queries.investorTimeline('inv-1'));
    expect(snapshot).toMatchObject({
      riskAssessment: { category: 'C3' },
      engagements: [{ ruleSetVersion: 'SM-2025.1', confirmedDocuments: [] }],
    });
    expect(await queries.investorTimeline('inv-1', '2026-01-01T12:00:00.000Z')).toHaveLength(1);
  });

  it('E2: exports evidence that the standalone verifier accepts', async () => {
    const checkpoint = (await sealer.checkpoint())!;
    const lines: string[] = [];
    for await (const line of queries.exportEvidence({ investorId: 'inv-1' }, checkpoint, {
      verifierKey: signing.verifierKey,
      exportedAt: '2026-11-23T00:00:00.000Z',
      exportedBy: 'officer-1',
      reason: 'regulator inspection 2026-11',
    })) {
      lines.push(line);
    }
    expect(lines).toHaveLength(6);
    expect(await verifyEvidenceLines(lines, { trustedVerifierKey: signing.verifierKey })).toMatchObject({
      ok: true,
      eventsVerified: 4,
      keyTrusted: true,
    });
  });
});

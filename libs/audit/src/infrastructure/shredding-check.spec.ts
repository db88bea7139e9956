import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { NewEvent, PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { checkShredding } from './shredding-check';

const make = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { actor: 'system', correlationId: randomUUID(), occurredAt: '2026-11-23T00:00:00.000Z', channel: 'system' },
});

describe('crypto-shredding check (E3)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 5 });
    store = new PgEventStore(pool, new Map(), 20);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('E3: passes when payloads hold only masked data and shredded keys are gone', async () => {
    await store.append(
      'advisory.investor-inv-1',
      [
        make('advisory.AccountOpened', {
          investorId: 'inv-1',
          nationalIdMasked: '110***********123X',
          mobileMasked: '138****5678',
          piiRef: 'pii:inv-1:r1',
        }),
      ],
      'no_stream',
    );
    await store.append(
      'advisory.investor-inv-1',
      [make('advisory.PersonalDataShredded', { investorId: 'inv-1', piiRef: 'pii:inv-1:r1', reason: 'PIPL 47' })],
      0n,
    );
    expect(await checkShredding(pool)).toMatchObject({ ok: true, vaultPresent: true, shreddedSubjects: 1, findings: [] });
  });

  it('E3: flags a shredded subject whose key is still in the vault', async () => {
    await pool.query(`INSERT INTO advisory_pii_keys (subject_id, iv, tag, wrapped_key) VALUES ('inv-1', '\\x00', '\\x00', '\\x00')`);
    const report = await checkShredding(pool);
    expect(report.ok).toBe(false);
    expect(report.findings).toMatchObject([{ kind: 'key_not_destroyed', investorId: 'inv-1' }]);
    await pool.query(`DELETE FROM advisory_pii_keys WHERE subject_id = 'inv-1'`);
  });

  it("E3: checks the shredding of a user's registration data too, counting a person once", async () => {
    await store.append(
      'user-inv-1',
      [
        make('identity.PersonalDataShredded', {
          userId: 'inv-1',
          piiRef: 'pii:inv-1:r2',
          reason: 'PIPL 47',
          shreddedBy: 'officer-1',
          at: '2026-11-23T08:00:00.000Z',
        }),
      ],
      'no_stream',
    );
    expect(await checkShredding(pool)).toMatchObject({ ok: true, shreddedSubjects: 1, findings: [] });
    await store.append(
      'user-inv-2',
      [
        make('identity.PersonalDataShredded', {
          userId: 'inv-2',
          piiRef: 'pii:inv-2:r1',
          reason: 'PIPL 47',
          shreddedBy: 'officer-1',
          at: '2026-11-23T08:00:00.000Z',
        }),
      ],
      'no_stream',
    );
    await pool.query(`INSERT INTO advisory_pii_keys (subject_id, iv, tag, wrapped_key) VALUES ('inv-2', '\\x00', '\\x00', '\\x00')`);
    const report = await checkShredding(pool);
    expect(report).toMatchObject({ ok: false, shreddedSubjects: 2, findings: [{ kind: 'key_not_destroyed', investorId: 'inv-2' }] });
    await pool.query(`DELETE FROM advisory_pii_keys WHERE subject_id = 'inv-2'`);
  });

  it('E3: flags plain national IDs and mobile numbers in event payloads', async () => {
    await store.append('leaky-1', [make('test.Leaky', { note: 'id 11010519491231002X on file' })], 'no_stream');
    await store.append('leaky-2', [make('test.Leaky', { contact: '13812345678' })], 'no_stream');
    const report = await checkShredding(pool);
    expect(report.findings.map((f) => [f.kind, f.detail])).toEqual([
      ['plain_personal_data', 'the event payload contains what looks like a national ID number'],
      ['plain_personal_data', 'the event payload contains what looks like a mobile number'],
    ]);
  });

  it('E3: a digit run inside a hex hash is not personal data; a number in Chinese text still is', async () => {
    const hashed = make('test.Hashed', { sha256: `ab13812345678cd${'e'.repeat(49)}`, other: `f${'1'.repeat(17)}0e` });
    const leaky = make('test.Leaky', { note: '客户电话13812345678请回访' });
    await store.append('hashed-1', [hashed], 'no_stream');
    await store.append('leaky-3', [leaky], 'no_stream');
    const findings = (await checkShredding(pool)).findings;
    expect(findings.filter((f) => f.eventId === hashed.id)).toEqual([]);
    expect(findings.filter((f) => f.eventId === leaky.id).map((f) => f.detail)).toEqual([
      'the event payload contains what looks like a mobile number',
    ]);
  });

  it('E3: flags a current registration carrying personal data, not one written before the vault held it', async () => {
    const data = { userId: 'u-9', email: 'a@example.com', displayName: 'A', roles: ['investor'], registeredAt: '2026-01-01T00:00:00.000Z' };
    await store.append('user-u-8', [{ ...make('identity.UserRegistered', { ...data, userId: 'u-8' }), schemaVersion: 1 }], 'no_stream');
    const before = (await checkShredding(pool)).findings.length;
    await store.append('user-u-9', [{ ...make('identity.UserRegistered', data), schemaVersion: 2 }], 'no_stream');
    const report = await checkShredding(pool);
    expect(report.findings.slice(before).map((f) => f.detail)).toEqual([
      'a registration carries the email, name or date of birth instead of a vault reference',
    ]);
  });
});

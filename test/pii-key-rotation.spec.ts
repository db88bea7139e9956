import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, PgPiiVaultStore, PiiVault } from '@app/platform';
import { createTestDatabase, TestDatabase } from './support/db';

/** E3 master key rotation against the vault's PostgreSQL tables: the key id is stored with each wrapped key. */
describe('personal-data vault master key rotation (PostgreSQL)', () => {
  let db: TestDatabase;
  let source: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    source = createDataSource(db.url, [], 2);
    await source.initialize();
  });
  afterAll(async () => {
    await source.destroy();
    await db.drop();
  });

  const pii = { legalName: '王小明', nationalId: '110105198506140027', mobile: '13912345678' };
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('keeps reading what the old master key wrapped after rotation, and wraps new keys under the new one', async () => {
    const store = new PgPiiVaultStore(source);
    const legacy = await new PiiVault(store, oldKey).put('inv-legacy', 'r1', pii);
    // A key wrapped before ids were recorded.
    await source.query('UPDATE advisory_pii_keys SET key_id = NULL WHERE subject_id = $1', ['inv-legacy']);
    const before = await new PiiVault(store, { currentId: '2026a', keys: new Map([['2026a', oldKey]]) }).put('inv-1', 'r1', pii);

    const rotated = new PiiVault(store, {
      currentId: '2026b',
      keys: new Map([
        ['2026b', newKey],
        ['2026a', oldKey],
      ]),
    });
    const after = await rotated.put('inv-2', 'r1', pii);
    for (const ref of [legacy, before, after]) expect(await rotated.read(ref)).toEqual({ status: 'available', pii });

    const rows: { subject_id: string; key_id: string | null }[] = await source.query(
      'SELECT subject_id, key_id FROM advisory_pii_keys ORDER BY subject_id',
    );
    expect(rows).toEqual([
      { subject_id: 'inv-1', key_id: '2026a' },
      { subject_id: 'inv-2', key_id: '2026b' },
      { subject_id: 'inv-legacy', key_id: null },
    ]);
    const withoutOld = new PiiVault(store, { currentId: '2026b', keys: new Map([['2026b', newKey]]) });
    await expect(withoutOld.read(before)).rejects.toThrow(/"2026a" is not configured/);

    // pii:rewrap: afterwards the old master key can leave the configuration.
    expect(await rotated.rewrapAll()).toBe(2);
    for (const ref of [legacy, before, after]) expect(await withoutOld.read(ref)).toEqual({ status: 'available', pii });
    expect(await source.query('SELECT DISTINCT key_id FROM advisory_pii_keys')).toEqual([{ key_id: '2026b' }]);
  });
});

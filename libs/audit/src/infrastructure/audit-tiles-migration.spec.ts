/**
 * A log sealed into the per-event `audit_leaves` table keeps working after the migration to leaf tiles (E2): the leaves
 * move into tiles, sealing continues from them, `audit verify` passes, every event keeps its leaf index, and proofs
 * verify against checkpoints signed before and after. A log whose leaves do not match its events is refused.
 */
import { Pool, PoolClient } from 'pg';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { isDomainError } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { loadMigrations } from '../../../../migrations';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { CompactRange } from '../domain/compact-range';
import { verifyEventInclusion } from '../domain/verification';
import { AuditProofs } from './audit-proofs';
import { AuditSealer } from './audit-sealer';
import { verifyAuditLog } from './log-verifier';
import { PgAuditQueries } from './pg-audit-queries';
import { PgAuditStore } from './pg-audit-store';
import { testEvent as event } from './testing/test-events';
import { testSigning } from './testing/test-signing';

const { origin, signing, verifier } = testSigning();

/** A migration as the runner loads it: migration files are imported by the runner alone. */
const migrationNamed = (name: string): MigrationInterface => {
  const found = loadMigrations().find((migration) => migration.name === name);
  if (found === undefined) throw new Error(`no migration ${name}`);
  return new found() as MigrationInterface;
};

/** What TypeORM hands a migration, enough for one that only runs SQL. */
const runnerOn = (db: Pool | PoolClient) =>
  ({ query: async (sql: string, params?: unknown[]) => (await db.query(sql, params)).rows }) as unknown as QueryRunner;

/** How the sealer wrote leaves before tiles: one row per event, hashed by PostgreSQL, nodes from level 4 up. */
const sealIntoLeafRows = async (pool: Pool, batchSize: number): Promise<void> => {
  for (;;) {
    const { rows: tail } = await pool.query<{ n: string | null }>('SELECT max(leaf_index) + 1 AS n FROM audit_leaves');
    const size = Number(tail[0].n ?? 0);
    const { rows: last } = await pool.query<{ tx_id: string; position: string }>(
      'SELECT tx_id::text AS tx_id, position FROM audit_leaves ORDER BY leaf_index DESC LIMIT 1',
    );
    const { rows: all } = await pool.query<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM audit_leaves ORDER BY leaf_index');
    const range = CompactRange.empty();
    for (const row of all) range.append(row.leaf_hash);
    const { rows } = await pool.query<{ leaf_index: string; leaf_hash: Buffer }>(
      `INSERT INTO audit_leaves (leaf_index, event_id, tx_id, position, event_hash, leaf_hash)
       SELECT $3::bigint + row_number() OVER (ORDER BY e.tx_id, e.position) - 1, e.event_id, e.tx_id, e.position, e.hash,
              sha256('\\x00'::bytea || e.hash)
         FROM (SELECT event_id, tx_id, position, hash FROM events
                WHERE (tx_id, position) > ($1::text::xid8, $2::bigint) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
                ORDER BY events.tx_id, events.position LIMIT $4) AS e
       RETURNING leaf_index, leaf_hash`,
      [last[0]?.tx_id ?? '0', last[0]?.position ?? '0', size, batchSize],
    );
    if (rows.length === 0) return;
    rows.sort((a, b) => Number(a.leaf_index) - Number(b.leaf_index));
    const nodes = rows.flatMap((row) => range.append(row.leaf_hash)).filter((node) => node.level >= 4);
    await pool.query(`INSERT INTO audit_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`, [
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash),
    ]);
  }
};

describe('migrating a log sealed into audit_leaves to leaf tiles (E2)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let events: PgEventStore;
  const migration = migrationNamed('AuditTiles1764000700000');

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 10 });
    events = new PgEventStore(pool, new Map(), 20);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const appendSome = async (prefix: string, transactions: number) => {
    for (let s = 0; s < transactions; s += 1)
      await events.append(`${prefix}-${s}`, s % 4 === 0 ? [event(s), event(s + 1), event(s + 2)] : [event(s)], 'no_stream');
  };

  it('keeps every leaf, proof and checkpoint, and sealing continues from the moved leaves', async () => {
    // Sealed and signed in tiles, taken back to per-event rows, then sealed further by the per-event writer.
    await appendSome('before', 40);
    const signedBefore = await new AuditSealer(pool, signing).checkpoint();
    await migration.down(runnerOn(pool));
    await appendSome('old-layout', 150);
    await sealIntoLeafRows(pool, 37);
    const { rows: oldLeaves } = await pool.query<{ event_id: string; leaf_index: string }>(
      'SELECT event_id, leaf_index FROM audit_leaves ORDER BY leaf_index',
    );
    expect(oldLeaves).toHaveLength(60 + 150 + 2 * 38);

    await migration.up(runnerOn(pool));
    // The migrations after it run too, as they would on an upgrade: moved tiles record no event ids.
    await migrationNamed('AuditTileEventIds1765000700000').up(runnerOn(pool));
    const { rows: tables } = await pool.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'audit_leaves'`);
    expect(tables).toHaveLength(0);
    const store = new PgAuditStore(pool);
    for (const leaf of oldLeaves) expect((await store.leafByEventId(leaf.event_id))?.leafIndex).toBe(Number(leaf.leaf_index));
    const { items } = await new PgAuditQueries(pool).search({}, { limit: 1000 });
    expect(items.map((item) => [item.eventId, item.leafIndex])).toEqual(oldLeaves.map((leaf) => [leaf.event_id, Number(leaf.leaf_index)]));

    await appendSome('after', 20);
    const sealer = new AuditSealer(pool, signing);
    const signedAfter = await sealer.checkpoint();
    expect(signedAfter?.treeSize).toBe(oldLeaves.length + 30);
    expect(await verifyAuditLog(pool, { verifier, origin })).toMatchObject({
      ok: true,
      treeSize: oldLeaves.length + 30,
      checkpointsVerified: 2,
    });

    const proofs = new AuditProofs(pool);
    const proven = async (leaf: { event_id: string; leaf_index: string }, treeSize?: number) => {
      const answer = await proofs.inclusion(leaf.event_id, treeSize);
      if (isDomainError(answer)) throw answer;
      expect(answer.proof.leafIndex).toBe(Number(leaf.leaf_index));
      return verifyEventInclusion({
        checkpoint: answer.checkpoint,
        verifierKey: signing.verifierKey,
        eventHash: answer.eventHash,
        proof: answer.proof,
      });
    };
    for (const leaf of [oldLeaves[0], oldLeaves[59]]) expect(await proven(leaf, signedBefore?.treeSize)).toEqual({ ok: true });
    for (const k of [0, 59, 60, 200, oldLeaves.length - 1]) expect(await proven(oldLeaves[k])).toEqual({ ok: true });
  });

  it('refuses to move leaves that no longer match the events table', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await migration.down(runnerOn(client));
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query('DELETE FROM events WHERE position = (SELECT position FROM audit_leaves WHERE leaf_index = 100)');
      await expect(migration.up(runnerOn(client))).rejects.toThrow(
        /cannot move into tiles: leaf 100 names an event that is not at its recorded position/,
      );
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

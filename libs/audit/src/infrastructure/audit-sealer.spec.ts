/**
 * The sealer, proofs and `audit verify` against a real PostgreSQL (E2).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { isDomainError } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { openCheckpoint } from '../domain/checkpoint';
import { signedTimestamp } from '../domain/cosignature';
import { verifyCheckpointConsistency, verifyEventInclusion } from '../domain/verification';
import { AuditProofs } from './audit-proofs';
import { AuditSealer } from './audit-sealer';
import { verifyAuditLog } from './log-verifier';
import { testEvent as event } from './testing/test-events';
import { loadAuditSigning } from './signing-key';
import { testSigning } from './testing/test-signing';

const { origin, signing, verifier } = testSigning();

describe('audit sealer and log verification (E2)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PgEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 20 });
    store = new PgEventStore(pool, new Map(), 20);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  /** The sealed events in leaf order, matched to the log by the event hash each tile sealed (not by position). */
  const sealedInLeafOrder = async () =>
    (
      await pool.query<{ leaf_index: string; event_id: string; stream_id: string }>(
        `SELECT t.start + g.i AS leaf_index, e.event_id, e.stream_id
           FROM audit_tiles t CROSS JOIN LATERAL generate_series(0, t.size - 1) AS g(i)
           JOIN events e ON e.hash = substring(t.event_hashes FROM g.i * 32 + 1 FOR 32)
          ORDER BY t.start + g.i`,
      )
    ).rows;

  it('seals concurrent appends exactly once, in commit order, with two sealers racing', async () => {
    const sealers = [
      new AuditSealer(pool, signing, { pollMs: 5, batchSize: 7 }),
      new AuditSealer(pool, signing, { pollMs: 5, batchSize: 11 }),
    ];
    sealers.forEach((s) => s.start());
    await Promise.all(
      Array.from({ length: 20 }, async (_, writer) => {
        for (let i = 0; i < 10; i += 1)
          await store.append(`writer-${writer}`, [event(i), event(i + 100)], i === 0 ? 'no_stream' : BigInt(2 * i - 1));
      }),
    );
    await Promise.all(sealers.map((s) => s.stop()));
    await sealers[0].sealAll();
    const { rows: tiles } = await pool.query<{ start: string; size: number }>('SELECT start, size FROM audit_tiles ORDER BY start');
    expect(tiles.every((tile, i) => i === 0 || Number(tile.start) === Number(tiles[i - 1].start) + tiles[i - 1].size)).toBe(true);
    const sealed = await sealedInLeafOrder();
    expect(sealed.map((leaf) => Number(leaf.leaf_index))).toEqual(Array.from({ length: 400 }, (_, i) => i));
    const { rows: log } = await pool.query<{ event_id: string }>('SELECT event_id FROM events ORDER BY tx_id, position');
    expect(sealed.map((leaf) => leaf.event_id)).toEqual(log.map((event) => event.event_id));
  });

  it('never skips an event that a slower transaction commits after faster ones', async () => {
    const sealer = new AuditSealer(pool, signing);
    await sealer.sealAll();
    let release!: () => void;
    const mayCommit = new Promise<void>((done) => (release = done));
    const slow = store.transaction(async (tx) => {
      await tx.append('slow-writer', [event(1)], 'no_stream');
      await mayCommit;
    });
    await new Promise((done) => setTimeout(done, 50));
    await store.append('fast-writer', [event(2)], 'no_stream');
    // The fast event committed, but sealing it now would fix the order before the slow one is visible.
    expect(await sealer.sealAll()).toBe(0);
    release();
    await slow;
    expect(await sealer.sealAll()).toBe(2);
    expect((await sealedInLeafOrder()).slice(-2).map((leaf) => leaf.stream_id)).toEqual(['slow-writer', 'fast-writer']);
  });

  it('signs checkpoints that open with the published verifier key, and only when the tree grew', async () => {
    const sealer = new AuditSealer(pool, signing);
    const first = await sealer.checkpoint();
    expect(first?.treeSize).toBe(402);
    expect(openCheckpoint(first!.note, verifier, origin)).toMatchObject({ ok: true, value: { size: 402 } });
    // The signing time is itself signed (timestamped cosignature) and matches the stored one.
    expect(signedTimestamp(first!.note, verifier)).toEqual({ ok: true, value: first!.signedAt.getTime() / 1000 });
    expect((await sealer.checkpoint())?.treeSize).toBe(402);
    await store.append('late', [event(1), event(2), event(3)], 'no_stream');
    expect((await sealer.checkpoint())?.treeSize).toBe(405);
  });

  it('refuses to alter leaves, nodes or checkpoints', async () => {
    for (const sql of [
      'UPDATE audit_checkpoints SET note = $$x$$',
      'DELETE FROM audit_tiles',
      'UPDATE audit_tiles SET sealed_at = now()',
      'TRUNCATE audit_tiles',
      'UPDATE audit_nodes SET level = 9',
      'TRUNCATE audit_checkpoints',
    ]) {
      await expect(pool.query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('resumes after a restart from the stored frontier', async () => {
    await store.append('after-restart', [event(1), event(2)], 'no_stream');
    const restarted = new AuditSealer(pool, signing);
    expect(await restarted.sealAll()).toBe(2);
    expect((await restarted.checkpoint())?.treeSize).toBe(407);
    const report = await verifyAuditLog(pool, { verifier, origin });
    expect(report.problem).toBeUndefined();
    expect(report).toMatchObject({ ok: true, treeSize: 407, eventsChecked: 407, unsealedEvents: 0, checkpointsVerified: 3 });
  });

  it('answers inclusion and consistency proofs that the standalone verifier accepts', async () => {
    const proofs = new AuditProofs(pool);
    const rows = (await sealedInLeafOrder()).filter((leaf) => ['0', '123', '399', '406'].includes(leaf.leaf_index));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      const answer = await proofs.inclusion(row.event_id);
      if (isDomainError(answer)) throw answer;
      expect(answer.proof.leafIndex).toBe(Number(row.leaf_index));
      expect(
        verifyEventInclusion({
          checkpoint: answer.checkpoint,
          verifierKey: signing.verifierKey,
          eventHash: answer.eventHash,
          proof: answer.proof,
        }),
      ).toEqual({ ok: true });
    }
    const late = rows.find((r) => r.leaf_index === '406')!;
    expect(await proofs.inclusion(late.event_id, 402)).toMatchObject({ code: 'AUDIT.EVENT_AFTER_CHECKPOINT', rule: 'E2' });
    expect(await proofs.inclusion(randomUUID())).toMatchObject({ code: 'AUDIT.EVENT_NOT_SEALED' });
    const consistency = await proofs.consistency(402, 407);
    if (isDomainError(consistency)) throw consistency;
    expect(verifyCheckpointConsistency({ ...consistency, verifierKey: signing.verifierKey })).toEqual({ ok: true });
  });

  it('reports unsealed events as pending, not as a fault', async () => {
    await store.append('pending', [event(1)], 'no_stream');
    expect(await verifyAuditLog(pool, { verifier, origin })).toMatchObject({ ok: true, treeSize: 407, unsealedEvents: 1 });
  });

  it('generates a development key once into the data folder when none is configured', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-key-'));
    const a = loadAuditSigning({}, dir);
    const b = loadAuditSigning({}, dir);
    expect(a.verifierKey).toBe(b.verifierKey);
    expect(a.source).toBe('development-file');
    expect(a.origin).toBe('marketplace.local/audit-log');
  });
});

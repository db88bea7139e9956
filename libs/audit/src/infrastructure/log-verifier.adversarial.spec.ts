/**
 * Adversarial verification (E1, E2): a superuser switches off the append-only triggers and changes, deletes, inserts or
 * reorders one row of the events table; `audit verify` must notice every time and name the first bad leaf. 1,000
 * trials, each in a transaction that is rolled back, over a log of single-event and multi-event transactions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { eventHash } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { AuditSealer } from './audit-sealer';
import { LogVerification, ProblemKind, verifyAuditLog } from './log-verifier';
import { testEvent as event } from './testing/test-events';
import { testSigning } from './testing/test-signing';

const { origin, signing, verifier } = testSigning();

const TRIALS_PER_KIND = 250;
const SEED = 20261123;

/** mulberry32: a small seeded generator so a failing trial can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface Row {
  position: string;
  tx_id: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: Buffer;
}

const hashOf = (row: Pick<Row, 'event_id' | 'stream_id' | 'revision' | 'type' | 'schema_version' | 'data' | 'metadata'>) =>
  Buffer.from(
    eventHash({
      id: row.event_id,
      streamId: row.stream_id,
      revision: BigInt(row.revision),
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
    }),
    'hex',
  );

interface Tile {
  start: number;
  size: number;
}

/** Overwrites the 32-byte hash of leaf k inside its tile's concatenated `column`. */
const overwriteLeaf = (c: PoolClient, column: 'event_hashes' | 'leaf_hashes', k: number, hash: Buffer) =>
  c.query(
    `UPDATE audit_tiles SET ${column} = overlay(${column} PLACING $2 FROM (($1 - start) * 32 + 1)::integer) WHERE start <= $1 AND start + size > $1`,
    [k, hash],
  );

/** Verifies the log as a superuser with the append-only triggers off left it after `tamper`; then rolls it all back. */
const verifyTampered = async (pool: Pool, tamper: (client: PoolClient) => Promise<void>): Promise<LogVerification> => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await tamper(client);
    return await verifyAuditLog(client, { verifier, origin });
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
};

const expectDetected = (report: LogVerification, kind: ProblemKind, leafIndex: number, misses: string[], label: string) => {
  if (report.ok || report.problem?.kind !== kind || report.problem.leafIndex !== leafIndex) {
    misses.push(`${label}: expected ${kind} at ${leafIndex}, got ${JSON.stringify(report.problem ?? 'ok')}`);
  }
};

describe('audit verify under tampering by a superuser (E1, E2)', () => {
  let db: TestDatabase;
  let pool: Pool;
  /** The log in commit order, which is sealed order: leaf k is rows[k]. */
  let rows: Row[];
  let tiles: Tile[];

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 10 });
    const store = new PgEventStore(pool, new Map(), 20);
    const sealer = new AuditSealer(pool, signing);
    for (let s = 0; s < 120; s += 1) {
      // A mix of one-event and multi-event transactions, and checkpoints along the way.
      const batch = s % 3 === 0 ? [event(s), event(s + 1), event(s + 2)] : [event(s)];
      await store.append(`stream-${s}`, batch, 'no_stream');
      if (s % 25 === 24) await sealer.checkpoint();
    }
    await sealer.checkpoint();
    rows = (
      await pool.query<Row>(
        `SELECT position, tx_id::text AS tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash FROM events ORDER BY events.tx_id, position`,
      )
    ).rows;
    tiles = (await pool.query<Tile>('SELECT start, size FROM audit_tiles ORDER BY start')).rows.map((tile) => ({
      start: Number(tile.start),
      size: tile.size,
    }));
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const tampered = (tamper: (client: PoolClient) => Promise<void>) => verifyTampered(pool, tamper);

  it('the untouched log verifies, with every checkpoint, and was sealed in commit order', async () => {
    expect(rows.length).toBe(200);
    const { rows: sealed } = await pool.query<{ hashes: Buffer }>(
      `SELECT string_agg(event_hashes, ''::bytea ORDER BY start) AS hashes FROM audit_tiles`,
    );
    expect(sealed[0].hashes.equals(Buffer.concat(rows.map((row) => row.hash)))).toBe(true);
    expect(tiles.length).toBeGreaterThan(2);
    expect(await verifyAuditLog(pool, { verifier, origin })).toMatchObject({ ok: true, treeSize: 200, checkpointsVerified: 5 });
  });

  it(`detects and locates ${TRIALS_PER_KIND} single-row changes (content, type, metadata, hash, content with a recomputed hash)`, async () => {
    const random = prng(SEED);
    const misses: string[] = [];
    for (let trial = 0; trial < TRIALS_PER_KIND; trial += 1) {
      const k = Math.floor(random() * rows.length);
      const row = rows[k];
      const variant = trial % 6;
      const report = await tampered(async (c) => {
        if (variant === 0) await c.query(`UPDATE events SET data = data || '{"tampered": true}' WHERE position = $1`, [row.position]);
        if (variant === 1) await c.query(`UPDATE events SET type = 'test.SomethingElse' WHERE position = $1`, [row.position]);
        if (variant === 2)
          await c.query(`UPDATE events SET metadata = jsonb_set(metadata, '{actor}', '"mallory"') WHERE position = $1`, [row.position]);
        if (variant === 3)
          await c.query(`UPDATE events SET hash = $2 WHERE position = $1`, [
            row.position,
            createHash('sha256').update(`x${trial}`).digest(),
          ]);
        if (variant === 4) {
          const data = { ...row.data, i: -1 };
          await c.query(`UPDATE events SET data = $2, hash = $3 WHERE position = $1`, [row.position, data, hashOf({ ...row, data })]);
        }
        if (variant === 5) {
          const revision = String(Number(row.revision) + 1000);
          await c.query(`UPDATE events SET revision = $2, hash = $3 WHERE position = $1`, [
            row.position,
            revision,
            hashOf({ ...row, revision }),
          ]);
        }
      });
      expectDetected(report, 'changed', k, misses, `change#${trial}/v${variant}`);
    }
    expect(misses).toEqual([]);
  });

  it(`detects and locates ${TRIALS_PER_KIND} single-row deletions`, async () => {
    const random = prng(SEED + 1);
    const misses: string[] = [];
    for (let trial = 0; trial < TRIALS_PER_KIND; trial += 1) {
      const k = Math.floor(random() * rows.length);
      const report = await tampered(async (c) => {
        await c.query('DELETE FROM events WHERE position = $1', [rows[k].position]);
      });
      expectDetected(report, 'missing', k, misses, `delete#${trial}`);
    }
    expect(misses).toEqual([]);
  });

  it(`detects and locates ${TRIALS_PER_KIND} insertions of a well-formed, correctly hashed event inside the sealed log`, async () => {
    const random = prng(SEED + 2);
    const misses: string[] = [];
    for (let trial = 0; trial < TRIALS_PER_KIND; trial += 1) {
      // The forged row claims the commit of the event at k; it sorts after that transaction's last event.
      const k = Math.floor(random() * (rows.length - 4));
      const lastOfTx = rows.map((r) => r.tx_id).lastIndexOf(rows[k].tx_id);
      const forged = {
        event_id: randomUUID(),
        stream_id: `forged-${trial}`,
        revision: '0',
        type: 'test.Forged',
        schema_version: 1,
        data: { forged: true },
        metadata: rows[k].metadata,
      };
      const report = await tampered(async (c) => {
        await c.query(
          `INSERT INTO events (position, tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash)
           OVERRIDING SYSTEM VALUE VALUES ($1, $2::text::xid8, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            1_000_000 + trial,
            rows[k].tx_id,
            forged.event_id,
            forged.stream_id,
            forged.revision,
            forged.type,
            forged.schema_version,
            forged.data,
            forged.metadata,
            hashOf(forged),
          ],
        );
      });
      expectDetected(report, 'inserted', lastOfTx + 1, misses, `insert#${trial}`);
    }
    expect(misses).toEqual([]);
  });

  it(`detects and locates ${TRIALS_PER_KIND} reorderings (two events swap places in the log)`, async () => {
    const random = prng(SEED + 3);
    const misses: string[] = [];
    const columns = ['event_id', 'stream_id', 'revision', 'type', 'schema_version', 'data', 'metadata', 'hash'] as const;
    const setContent = (c: PoolClient, position: string, from: Row) =>
      c.query(`UPDATE events SET ${columns.map((col, i) => `${col} = $${i + 2}`).join(', ')} WHERE position = $1`, [
        position,
        ...columns.map((col) => from[col]),
      ]);
    for (let trial = 0; trial < TRIALS_PER_KIND; trial += 1) {
      const a = Math.floor(random() * rows.length);
      let b = Math.floor(random() * (rows.length - 1));
      if (b >= a) b += 1;
      const [i, j] = a < b ? [a, b] : [b, a];
      const report = await tampered(async (c) => {
        await c.query(`UPDATE events SET event_id = $2, stream_id = '#swap', revision = 0 WHERE position = $1`, [
          rows[i].position,
          randomUUID(),
        ]);
        await setContent(c, rows[j].position, rows[i]);
        await setContent(c, rows[i].position, rows[j]);
      });
      expectDetected(report, 'reordered', i, misses, `swap#${trial} ${i}<->${j}`);
    }
    expect(misses).toEqual([]);
  });

  it('reports two events swapped across a sealing-batch boundary (transaction ids exchanged) as reordered, naming the moved event', async () => {
    const misses: string[] = [];
    let pairs = 0;
    for (const tile of tiles.slice(1)) {
      for (let i = Math.max(0, tile.start - 3); i < tile.start; i += 1) {
        for (let j = tile.start; j < Math.min(rows.length, tile.start + 3); j += 1) {
          if (rows[i].tx_id === rows[j].tx_id) continue;
          pairs += 1;
          const report = await tampered(async (c) => {
            await c.query('UPDATE events SET tx_id = $2::text::xid8 WHERE position = $1', [rows[i].position, rows[j].tx_id]);
            await c.query('UPDATE events SET tx_id = $2::text::xid8 WHERE position = $1', [rows[j].position, rows[i].tx_id]);
          });
          expectDetected(report, 'reordered', i, misses, `tx-swap ${i}<->${j}`);
          if (report.problem?.kind === 'reordered' && !/sealed at leaf/.test(report.problem.detail))
            misses.push(`tx-swap ${i}<->${j}: ${report.problem.detail}`);
        }
      }
    }
    expect(pairs).toBeGreaterThan(20);
    expect(misses).toEqual([]);
  });

  it('names a deleted event by the id and hash sealed at its leaf', async () => {
    for (const k of [0, tiles[1].start - 1, tiles[1].start, rows.length - 1]) {
      const report = await tampered(async (c) => {
        await c.query('DELETE FROM events WHERE position = $1', [rows[k].position]);
      });
      expect(report.problem).toMatchObject({
        kind: 'missing',
        leafIndex: k,
        eventId: rows[k].event_id,
        sealedEventHash: rows[k].hash.toString('hex'),
      });
      expect(report.problem?.detail).toContain(rows[k].event_id);
    }
  });

  it('detects altered stored leaf hashes and sealed event hashes in the tiles proofs are served from', async () => {
    const random = prng(SEED + 4);
    const misses: string[] = [];
    for (let trial = 0; trial < 50; trial += 1) {
      const k = Math.floor(random() * rows.length);
      const leaf = await tampered(async (c) => {
        await overwriteLeaf(c, 'leaf_hashes', k, createHash('sha256').update(`l${trial}`).digest());
      });
      expectDetected(leaf, 'tree', k, misses, `leaf#${trial}`);
      // The sealed event hash beside it: what was sealed no longer matches the event, as when both were rewritten.
      const sealedHash = await tampered(async (c) => {
        await overwriteLeaf(c, 'event_hashes', k, createHash('sha256').update(`e${trial}`).digest());
      });
      expectDetected(sealedHash, 'changed', k, misses, `sealed-hash#${trial}`);
    }
    expect(misses).toEqual([]);
  });

  it('detects a deleted leaf tile, and a tile whose commit-order range was moved, which would misplace derived leaf indexes', async () => {
    const misses: string[] = [];
    const moveBound = (c: PoolClient, tile: Tile, bound: 'first' | 'last', to: Row) =>
      c.query(`UPDATE audit_tiles SET ${bound}_tx_id = $2::text::xid8, ${bound}_position = $3 WHERE start = $1`, [
        tile.start,
        to.tx_id,
        to.position,
      ]);
    for (const [i, tile] of tiles.entries()) {
      const deleted = await tampered(async (c) => {
        await c.query('DELETE FROM audit_tiles WHERE start = $1', [tile.start]);
      });
      expectDetected(deleted, 'tree', tile.start, misses, `tile-delete@${tile.start}`);
      const last = tile.start + tile.size - 1;
      const moves: [string, 'first' | 'last', Row][] = [];
      if (tile.size > 1)
        moves.push(['first to its second event', 'first', rows[tile.start + 1]], ['last to its second-last event', 'last', rows[last - 1]]);
      if (i > 0) moves.push(['first to the previous tile', 'first', rows[tile.start - 1]]);
      if (i < tiles.length - 1 && tiles[i + 1].size > 1) moves.push(['last into the next tile', 'last', rows[last + 1]]);
      for (const [label, bound, to] of moves) {
        const report = await tampered(async (c) => {
          await moveBound(c, tile, bound, to);
        });
        expectDetected(report, 'tree', tile.start, misses, `tile@${tile.start} ${label}`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('detects a checkpoint whose stored signing time was moved', async () => {
    const report = await tampered(async (c) => {
      await c.query(
        `UPDATE audit_checkpoints SET signed_at = signed_at - interval '1 day' WHERE tree_size = (SELECT min(tree_size) FROM audit_checkpoints)`,
      );
    });
    expect(report).toMatchObject({ ok: false, problem: { kind: 'checkpoint', detail: expect.stringMatching(/signing time/) } });
  });

  it('still verifies after all trials were rolled back', async () => {
    expect(await verifyAuditLog(pool, { verifier, origin })).toMatchObject({ ok: true, treeSize: 200 });
  });
});

describe('audit verify against tampered stored tree nodes (E2)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 10 });
    const store = new PgEventStore(pool, new Map(), 20);
    // Nodes are stored from full tiles (256 leaves) up: 800 leaves store three tile roots and the 512-leaf node above two.
    for (let s = 0; s < 400; s += 1) await store.append(`stream-${s}`, [event(s), event(s + 1)], 'no_stream');
    await new AuditSealer(pool, signing, { batchSize: 300 }).checkpoint();
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('detects every stored node altered or deleted, and locates the leaves it covers', async () => {
    const { rows: nodes } = await pool.query<{ level: number; idx: string }>('SELECT level, idx FROM audit_nodes ORDER BY level, idx');
    expect(nodes.map((node) => `${node.level}/${node.idx}`)).toEqual(['8/0', '8/1', '8/2', '9/0']);
    const misses: string[] = [];
    for (const node of nodes) {
      const first = Number(node.idx) * 2 ** node.level;
      const altered = await verifyTampered(pool, async (c) => {
        await c.query('UPDATE audit_nodes SET hash = $3 WHERE level = $1 AND idx = $2', [
          node.level,
          node.idx,
          createHash('sha256').update(`n${node.level}/${node.idx}`).digest(),
        ]);
      });
      expectDetected(altered, 'tree', first, misses, `node ${node.level}/${node.idx}`);
      const removed = await verifyTampered(pool, async (c) => {
        await c.query('DELETE FROM audit_nodes WHERE level = $1 AND idx = $2', [node.level, node.idx]);
      });
      expectDetected(removed, 'tree', first, misses, `node-delete ${node.level}/${node.idx}`);
    }
    expect(misses).toEqual([]);
    expect(await verifyAuditLog(pool, { verifier, origin })).toMatchObject({ ok: true, treeSize: 800 });
  });
});

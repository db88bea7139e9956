/**
 * Adversarial verification (E1, E2): a superuser switches off the append-only triggers and changes, deletes, inserts or
 * reorders one row of the events table; `audit verify` must notice every time and name the first bad leaf. 1,000
 * trials, each in a transaction that is rolled back, over a log of single-event and multi-event transactions.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { eventHash, PgEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/db';
import { parseVerifierKey } from '../domain/signed-note';
import { AuditSealer } from './audit-sealer';
import { LogVerification, ProblemKind, verifyAuditLog } from './log-verifier';
import { loadAuditSigning } from './signing-key';
import { testEvent as event } from './testing/test-events';

const origin = 'test.example/audit';
const signing = loadAuditSigning(
  { AUDIT_LOG_ORIGIN: origin, AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') },
  '/nonexistent',
);
const parsedKey = parseVerifierKey(signing.verifierKey);
if (!parsedKey.ok) throw new Error(parsedKey.reason);
const verifier = parsedKey.value;

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
    eventHash({ id: row.event_id, streamId: row.stream_id, revision: BigInt(row.revision), type: row.type, schemaVersion: row.schema_version, data: row.data, metadata: row.metadata }),
    'hex',
  );

describe('audit verify under tampering by a superuser (E1, E2)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let rows: Row[];

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
        `SELECT e.position, e.tx_id::text AS tx_id, e.event_id, e.stream_id, e.revision, e.type, e.schema_version, e.data, e.metadata, e.hash
           FROM audit_leaves l JOIN events e ON e.event_id = l.event_id ORDER BY l.leaf_index`,
      )
    ).rows;
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  const tampered = async (tamper: (client: PoolClient) => Promise<void>): Promise<LogVerification> => {
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

  it('the untouched log verifies, with every checkpoint', async () => {
    expect(rows.length).toBe(200);
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
        if (variant === 2) await c.query(`UPDATE events SET metadata = jsonb_set(metadata, '{actor}', '"mallory"') WHERE position = $1`, [row.position]);
        if (variant === 3) await c.query(`UPDATE events SET hash = $2 WHERE position = $1`, [row.position, createHash('sha256').update(`x${trial}`).digest()]);
        if (variant === 4) {
          const data = { ...row.data, i: -1 };
          await c.query(`UPDATE events SET data = $2, hash = $3 WHERE position = $1`, [row.position, data, hashOf({ ...row, data })]);
        }
        if (variant === 5) {
          const revision = String(Number(row.revision) + 1000);
          await c.query(`UPDATE events SET revision = $2, hash = $3 WHERE position = $1`, [row.position, revision, hashOf({ ...row, revision })]);
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
      const forged = { event_id: randomUUID(), stream_id: `forged-${trial}`, revision: '0', type: 'test.Forged', schema_version: 1, data: { forged: true }, metadata: rows[k].metadata };
      const report = await tampered(async (c) => {
        await c.query(
          `INSERT INTO events (position, tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash)
           OVERRIDING SYSTEM VALUE VALUES ($1, $2::text::xid8, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [1_000_000 + trial, rows[k].tx_id, forged.event_id, forged.stream_id, forged.revision, forged.type, forged.schema_version, forged.data, forged.metadata, hashOf(forged)],
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
      c.query(`UPDATE events SET ${columns.map((col, i) => `${col} = $${i + 2}`).join(', ')} WHERE position = $1`, [position, ...columns.map((col) => from[col])]);
    for (let trial = 0; trial < TRIALS_PER_KIND; trial += 1) {
      const a = Math.floor(random() * rows.length);
      let b = Math.floor(random() * (rows.length - 1));
      if (b >= a) b += 1;
      const [i, j] = a < b ? [a, b] : [b, a];
      const report = await tampered(async (c) => {
        await c.query(`UPDATE events SET event_id = $2, stream_id = '#swap', revision = 0 WHERE position = $1`, [rows[i].position, randomUUID()]);
        await setContent(c, rows[j].position, rows[i]);
        await setContent(c, rows[i].position, rows[j]);
      });
      expectDetected(report, 'reordered', i, misses, `swap#${trial} ${i}<->${j}`);
    }
    expect(misses).toEqual([]);
  });

  it('detects altered or missing stored tree nodes and leaf hashes, which proofs are served from', async () => {
    const random = prng(SEED + 4);
    const misses: string[] = [];
    const { rows: nodes } = await pool.query<{ level: number; idx: string }>('SELECT level, idx FROM audit_nodes');
    for (let trial = 0; trial < 50; trial += 1) {
      const node = nodes[Math.floor(random() * nodes.length)];
      const first = Number(node.idx) * 2 ** node.level;
      const altered = await tampered(async (c) => {
        await c.query('UPDATE audit_nodes SET hash = $3 WHERE level = $1 AND idx = $2', [node.level, node.idx, createHash('sha256').update(`n${trial}`).digest()]);
      });
      expectDetected(altered, 'tree', first, misses, `node#${trial}`);
      const removed = await tampered(async (c) => {
        await c.query('DELETE FROM audit_nodes WHERE level = $1 AND idx = $2', [node.level, node.idx]);
      });
      expectDetected(removed, 'tree', first, misses, `node-delete#${trial}`);
      const k = Math.floor(random() * rows.length);
      const leaf = await tampered(async (c) => {
        await c.query('UPDATE audit_leaves SET leaf_hash = $2 WHERE leaf_index = $1', [k, createHash('sha256').update(`l${trial}`).digest()]);
      });
      expectDetected(leaf, 'tree', k, misses, `leaf#${trial}`);
    }
    expect(misses).toEqual([]);
  });

  it('detects a checkpoint whose stored signing time was moved', async () => {
    const report = await tampered(async (c) => {
      await c.query(`UPDATE audit_checkpoints SET signed_at = signed_at - interval '1 day' WHERE tree_size = (SELECT min(tree_size) FROM audit_checkpoints)`);
    });
    expect(report).toMatchObject({ ok: false, problem: { kind: 'checkpoint', detail: expect.stringMatching(/signing time/) } });
  });

  it('still verifies after all trials were rolled back', async () => {
    expect(await verifyAuditLog(pool, { verifier, origin })).toMatchObject({ ok: true, treeSize: 200 });
  });
});

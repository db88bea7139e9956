import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { AuditSealer, loadAuditSigning, parseVerifierKey, verifyAuditLog } from '@app/audit';
import { NewEvent, PgEventStore } from '@app/event-store';
import { load, ratio, startBenchApp, startBenchDatabase } from './support';

/**
 * The audit log's costs, each against a baseline measured in the same run:
 * - sealing (read committed events, leaf and node hashes, insert leaves and nodes) against raw SHA-256 of the same
 *   32-byte stored hashes in memory, and against a plain copy of those rows into another table;
 * - `audit verify` (recompute every event hash from its raw row, rebuild the tree, check checkpoints) against paging
 *   through the same rows without checking anything;
 * - the investor timeline over HTTP (access recorded, E5) against GET /health on the same app.
 */
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 50_000);
const INVESTORS = 1000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

const event = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'advisory.RiskAssessed',
  data: { investorId: `inv-${n % INVESTORS}`, assessmentId: randomUUID(), category: `C${(n % 5) + 1}`, score: n % 100, answers: { q1: 'a', q2: 'c', q3: 'b' } },
  metadata: { actor: `inv-${n % INVESTORS}`, correlationId: randomUUID(), occurredAt: new Date().toISOString(), channel: 'app' },
});

const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('audit');
  const pool = new Pool({ connectionString: db.url, max: 40 });
  const store = new PgEventStore(pool);
  const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const signing = loadAuditSigning({ AUDIT_LOG_ORIGIN: 'bench.example/audit', AUDIT_SIGNING_KEY: key }, '.data/bench');
  const parsed = parseVerifierKey(signing.verifierKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < EVENTS) {
          const first = next;
          next += 100;
          await store.append(`bench-${randomUUID()}`, Array.from({ length: 100 }, (_, n) => event(first + n)), 'no_stream');
        }
      }),
    );
    const total = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);

    // Baseline 1: raw SHA-256 over the same 32-byte stored hashes, already in memory.
    const hashes = (await pool.query<{ hash: Buffer }>('SELECT hash FROM events')).rows.map((row) => row.hash);
    let started = performance.now();
    for (const hash of hashes) createHash('sha256').update(hash).digest();
    const rawSha256 = perSecond(hashes.length, performance.now() - started);

    // Baseline 2: copy the same rows (id, position, hash) into a plain table in batches of the sealer's size.
    await pool.query('CREATE TABLE plain_copy (event_id uuid, tx_id xid8, position bigint, hash bytea)');
    started = performance.now();
    for (let offset = 0; offset < total; offset += 2000) {
      await pool.query(
        `INSERT INTO plain_copy SELECT event_id, tx_id, position, hash FROM events ORDER BY events.tx_id, events.position OFFSET $1 LIMIT 2000`,
        [offset],
      );
    }
    const plainCopy = perSecond(total, performance.now() - started);

    const sealer = new AuditSealer(pool, signing, { batchSize: 2000 });
    started = performance.now();
    const sealed = await sealer.sealAll();
    const sealing = perSecond(sealed, performance.now() - started);
    await sealer.checkpoint();

    // Baseline 3: page through the same rows the verifier reads, checking nothing.
    started = performance.now();
    let last = { tx: '0', pos: '0' };
    for (;;) {
      const { rows } = await pool.query<{ tx_id: string; position: string }>(
        `SELECT position, tx_id::text AS tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash FROM events
          WHERE (tx_id, position) > ($1::text::xid8, $2::bigint) ORDER BY events.tx_id, events.position LIMIT 2000`,
        [last.tx, last.pos],
      );
      if (rows.length === 0) break;
      last = { tx: rows[rows.length - 1].tx_id, pos: rows[rows.length - 1].position };
    }
    const plainRead = perSecond(total, performance.now() - started);

    started = performance.now();
    const verification = await verifyAuditLog(pool, { verifier: parsed.value, origin: signing.origin });
    const verify = perSecond(verification.eventsChecked, performance.now() - started);
    if (!verification.ok) throw new Error(`bench log did not verify: ${JSON.stringify(verification.problem)}`);

    const app = await startBenchApp(db.url, { AUDIT_SEALER_DISABLED: 'true', AUDIT_SIGNING_KEY: key, AUDIT_LOG_ORIGIN: 'bench.example/audit' });
    try {
      const post = (path: string, body: unknown, token?: string) =>
        fetch(`${app.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const admin = (await (await post('/auth/login', { email: 'admin@example.com', password: 'bench-admin-password' })).json()) as { accessToken: string };
      const email = `officer-${randomUUID()}@example.com`;
      const registered = (await (await post('/auth/register', { email, password: 'a-long-enough-password', displayName: 'Officer' })).json()) as { userId: string };
      await post(`/admin/users/${registered.userId}/roles`, { role: 'compliance_officer' }, admin.accessToken);
      const officer = (await (await post('/auth/login', { email, password: 'a-long-enough-password' })).json()) as { accessToken: string };
      const headers = { Authorization: `Bearer ${officer.accessToken}` };
      let n = 0;
      const health = await load({ url: `${app.url}/health`, connections: 16, seconds: SECONDS });
      const timeline = await load({
        url: `${app.url}/audit/investors/inv-0/timeline?reason=bench`,
        headers,
        connections: 16,
        seconds: SECONDS,
        setupRequest: (request) => ({ ...request, path: `/audit/investors/inv-${n++ % INVESTORS}/timeline?reason=benchmark%20run` }),
      });
      // One client alone: the latency of a single officer's request, without queueing behind 15 others.
      const single = await load({
        url: `${app.url}/audit/investors/inv-0/timeline?reason=bench`,
        headers,
        connections: 1,
        seconds: Math.max(2, Math.round(SECONDS / 2)),
        setupRequest: (request) => ({ ...request, path: `/audit/investors/inv-${n++ % INVESTORS}/timeline?reason=benchmark%20run` }),
      });
      return {
        events: total,
        eventsPerInvestor: Math.round(total / INVESTORS),
        unit: 'events per second unless named',
        rawSha256,
        plainCopy,
        sealing,
        plainRead,
        verify,
        timelineRequestsPerSecond: timeline.requestsPerSecond,
        timelineP50Ms: timeline.p50Ms,
        timelineP99Ms: timeline.p99Ms,
        timelineErrors: timeline.errors + timeline.non2xx + single.errors + single.non2xx,
        timelineOneClientP50Ms: single.p50Ms,
        timelineOneClientP99Ms: single.p99Ms,
        healthRequestsPerSecond: health.requestsPerSecond,
        healthP50Ms: health.p50Ms,
        ratios: {
          sealing_vs_raw_sha256: ratio(sealing, rawSha256),
          sealing_vs_plain_copy: ratio(sealing, plainCopy),
          verify_vs_plain_read: ratio(verify, plainRead),
          timeline_vs_health_throughput: ratio(timeline.requestsPerSecond, health.requestsPerSecond),
        },
      };
    } finally {
      await app.close();
    }
  } finally {
    await pool.end();
    await db.stop();
  }
}

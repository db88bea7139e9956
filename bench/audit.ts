import { createHash, generateKeyPairSync } from 'node:crypto';
import { Pool } from 'pg';
import { AuditSealer, loadAuditSigning, parseVerifierKey, verifyAuditLog } from '@app/audit';
import { BenchApp, load, ratio, startBenchApp, startBenchDatabase } from './support';

/**
 * The audit log's costs on a log of BENCH_AUDIT_EVENTS events (1M by default), each against a baseline measured in the
 * same run:
 * - sealing (read committed events in commit order, leaf and node hashes, insert leaf tiles and nodes) against raw SHA-256,
 *   in memory, of the same bytes the sealer hashes for each leaf (0x00 ‖ the event's 32-byte stored hash);
 * - `audit verify` (recompute every event hash from its raw row, rebuild the tree, check stored nodes and checkpoints)
 *   against paging through the same rows without checking anything, with the process's peak RSS while it runs;
 * - the investor timeline over HTTP (access recorded, E5): one client's sequential requests (p50/p99), and 16 clients'
 *   throughput against GET /health on the same app.
 */
const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
// A constant number of events per investor, so the timeline's cost shows whether it depends on the log's size.
const EVENTS_PER_INVESTOR = 50;
const INVESTORS = Math.max(1, Math.round(EVENTS / EVENTS_PER_INVESTOR));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SEED_CHUNK = 100_000;
const BASELINE_SAMPLE = 200_000;

const OFFICER = { email: 'officer@example.com', password: 'a-long-enough-password' };

const post = (url: string, body: unknown, token?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

/** Logs the compliance officer in, registering them and granting the role first when `register`. */
const officerToken = async (url: string, register: boolean): Promise<string> => {
  if (register) {
    const admin = (await (await post(`${url}/auth/login`, { email: 'admin@example.com', password: 'bench-admin-password' })).json()) as {
      accessToken: string;
    };
    const registered = (await (await post(`${url}/auth/register`, { ...OFFICER, displayName: 'Officer' })).json()) as { userId: string };
    const granted = await post(`${url}/admin/users/${registered.userId}/roles`, { role: 'compliance_officer' }, admin.accessToken);
    if (!granted.ok) throw new Error(`granting the officer role failed: ${granted.status}`);
  }
  const login = (await (await post(`${url}/auth/login`, OFFICER)).json()) as { accessToken?: string };
  if (!login.accessToken) throw new Error('the officer could not log in');
  return login.accessToken;
};

const perSecond = (count: number, ms: number) => Math.round(count / (ms / 1000));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Writes events n in [first, last] in one statement, each hashed by PostgreSQL exactly as `eventHash` hashes it: SHA-256
 * of the canonical JSON (keys sorted, no whitespace) of id, streamId, revision, type, schemaVersion, data and metadata.
 * The values are plain strings and integers, so the text below is already canonical; `audit verify` recomputes every
 * hash in TypeScript and fails the bench if one differs.
 */
const seedChunk = (pool: Pool, first: number, last: number) =>
  pool.query(
    `INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, hash)
     SELECT id, sid, rev, 'bench.InvestorActivityRecorded', 1, d::jsonb, m::jsonb,
            sha256(convert_to('{"data":' || d || ',"id":"' || id || '","metadata":' || m || ',"revision":"' || rev ||
                              '","schemaVersion":1,"streamId":"' || sid || '","type":"bench.InvestorActivityRecorded"}', 'UTF8'))
       FROM (SELECT gen_random_uuid() AS id, 'bench-' || (n / 100) AS sid, n % 100 AS rev,
                    '{"answers":{"q1":"a","q2":"c","q3":"b"},"assessmentId":"' || gen_random_uuid() || '","category":"C' || (n % 5 + 1) ||
                      '","investorId":"inv-' || (n % $3) || '","score":' || (n % 100) || '}' AS d,
                    '{"actor":"inv-' || (n % $3) || '","channel":"app","correlationId":"' || gen_random_uuid() ||
                      '","occurredAt":"2026-11-23T10:00:00.000Z"}' AS m
               FROM generate_series($1::bigint, $2::bigint) AS n) AS s`,
    [first, last, INVESTORS],
  );

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('audit');
  const pool = new Pool({ connectionString: db.url, max: 8 });
  // The embedded server stops at the end; an idle connection it drops must not take the process down.
  pool.on('error', () => undefined);
  let app: BenchApp | undefined;
  const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const signing = loadAuditSigning({ AUDIT_LOG_ORIGIN: 'bench.example/audit', AUDIT_SIGNING_KEY: key }, '.data/bench');
  const parsed = parseVerifierKey(signing.verifierKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  const appEnv = { AUDIT_SEALER_DISABLED: 'true', AUDIT_SIGNING_KEY: key, AUDIT_LOG_ORIGIN: 'bench.example/audit' };
  try {
    // The officer is registered on the empty log, so every projection has a checkpoint before the log is filled.
    app = await startBenchApp(db.url, appEnv);
    await officerToken(app.url, true);
    await app.close();
    app = undefined;

    let started = performance.now();
    for (let first = 0; first < EVENTS; first += SEED_CHUNK) {
      await Promise.all(
        [0, 1].map((half) => {
          const from = first + (half * SEED_CHUNK) / 2;
          const to = Math.min(first + ((half + 1) * SEED_CHUNK) / 2, EVENTS) - 1;
          return from <= to ? seedChunk(pool, from, to) : Promise.resolve();
        }),
      );
    }
    await pool.query('ANALYZE events');
    // The seeded type is one no projection handles, so applying it leaves every read model as it is: the projections'
    // checkpoints move past it instead of having the restarted app page through the whole log at start-up.
    await pool.query(
      `UPDATE subscription_checkpoints SET (tx_id, position) = (SELECT tx_id, position FROM events ORDER BY events.tx_id DESC, events.position DESC LIMIT 1)`,
    );
    const seedingSeconds = Math.round((performance.now() - started) / 100) / 10;
    const total = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n);

    // Baseline: SHA-256 of each leaf's input (0x00 ‖ stored hash), already in memory, on a sample of the log.
    const leafInputs = (
      await pool.query<{ input: Buffer }>(
        `SELECT '\\x00'::bytea || hash AS input FROM events ORDER BY events.tx_id, events.position LIMIT $1`,
        [BASELINE_SAMPLE],
      )
    ).rows.map((row) => row.input);
    started = performance.now();
    for (const input of leafInputs) createHash('sha256').update(input).digest();
    const rawSha256 = perSecond(leafInputs.length, performance.now() - started);
    leafInputs.length = 0;

    const sealer = new AuditSealer(pool, signing);
    started = performance.now();
    const sealed = await sealer.sealAll();
    const sealing = perSecond(sealed, performance.now() - started);
    await sealer.checkpoint();

    // Baseline: page through the same rows the verifier reads, checking nothing.
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

    const rssBeforeVerify = process.memoryUsage().rss;
    let peakRss = rssBeforeVerify;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
    started = performance.now();
    // Streaming shows as an RSS that stops growing with the events checked: compare a tenth of the way with the end.
    let rssAtTenth = 0;
    const verification = await verifyAuditLog(pool, {
      verifier: parsed.value,
      origin: signing.origin,
      onProgress: ({ checked }) => {
        if (rssAtTenth === 0 && checked >= total / 10) rssAtTenth = process.memoryUsage().rss;
      },
    });
    const rssAtEnd = process.memoryUsage().rss;
    const verifySeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const verify = perSecond(verification.eventsChecked, verifySeconds * 1000);
    if (!verification.ok) throw new Error(`bench log did not verify: ${JSON.stringify(verification.problem)}`);

    app = await startBenchApp(db.url, appEnv);
    const headers = { Authorization: `Bearer ${await officerToken(app.url, false)}` };
    const url = app.url;
    // Investors spread over the whole log, a different one each request.
    let n = 0;
    const nextTimeline = (request: Record<string, unknown>) => ({
      ...request,
      path: `/audit/investors/inv-${(n++ * 7919) % INVESTORS}/timeline?reason=benchmark%20run`,
    });
    const single = await load({
      url: `${url}/audit/investors/inv-0/timeline?reason=bench`,
      headers,
      connections: 1,
      seconds: SECONDS,
      setupRequest: nextTimeline,
    });
    const health = await load({ url: `${url}/health`, connections: 16, seconds: Math.max(2, Math.round(SECONDS / 2)) });
    const timeline = await load({
      url: `${url}/audit/investors/inv-0/timeline?reason=bench`,
      headers,
      connections: 16,
      seconds: Math.max(2, Math.round(SECONDS / 2)),
      setupRequest: nextTimeline,
    });
    // The same verification started by a compliance officer over HTTP (POST /audit/verifications), followed to its end.
    const jobStarted = performance.now();
    const accepted = await post(`${url}/audit/verifications`, { reason: 'benchmark run' }, headers.Authorization.slice('Bearer '.length));
    if (accepted.status !== 202) throw new Error(`starting a verification job failed: ${accepted.status} ${await accepted.text()}`);
    const { id } = (await accepted.json()) as { id: string };
    let job: { status: string; result: { ok: boolean; eventsPerSecond?: number } | null };
    do {
      await new Promise((done) => setTimeout(done, 500));
      job = (await (await fetch(`${url}/audit/verifications/${id}`, { headers })).json()) as typeof job;
    } while (job.status === 'running');
    if (job.status !== 'ok') throw new Error(`the verification job ended ${job.status}: ${JSON.stringify(job.result)}`);
    const jobSeconds = (performance.now() - jobStarted) / 1000;
    return {
      events: total,
      verificationJobEventsPerSecond: job.result?.eventsPerSecond,
      verificationJobSecondsUntilSeen: Math.round(jobSeconds * 10) / 10,
      eventsPerInvestor: Math.round(total / INVESTORS),
      unit: 'events per second unless named',
      seedingSeconds,
      rawSha256,
      sealing,
      plainRead,
      verify,
      verifySeconds: Math.round(verifySeconds * 10) / 10,
      verifyRssBeforeMb: mb(rssBeforeVerify),
      verifyRssAtTenthMb: mb(rssAtTenth),
      verifyRssAtEndMb: mb(rssAtEnd),
      verifyPeakRssMb: mb(peakRss),
      timelineOneClientP50Ms: single.p50Ms,
      timelineOneClientP99Ms: single.p99Ms,
      timelineOneClientRequests: Math.round(single.requestsPerSecond * SECONDS),
      timelineRequestsPerSecond: timeline.requestsPerSecond,
      timelineP99Ms: timeline.p99Ms,
      timelineErrors: timeline.errors + timeline.non2xx + single.errors + single.non2xx,
      healthRequestsPerSecond: health.requestsPerSecond,
      ratios: {
        sealing_vs_raw_sha256: ratio(sealing, rawSha256),
        verify_vs_plain_read: ratio(verify, plainRead),
        timeline_vs_health_throughput: ratio(timeline.requestsPerSecond, health.requestsPerSecond),
      },
    };
  } finally {
    // The app's pools first, then ours, and only then the server they connect to.
    await app?.close();
    await pool.end();
    await db.stop();
  }
}

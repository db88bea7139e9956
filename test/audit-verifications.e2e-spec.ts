/**
 * Log verification without a shell, end to end (E2, E5): a compliance officer starts a verification over HTTP, follows
 * its progress and reads an OK; after a superuser tampers with one sealed row, a new verification names that leaf and
 * the kind of damage. One runs at a time across instances (the advisory lock), and each start is recorded with its reason.
 */
import { Pool } from 'pg';
import { createTestApp, TestApp } from './support/app';

describe('audit verifications (e2e)', () => {
  let t: TestApp;
  let pool: Pool;
  let officer: { userId: string; token: string };
  let investor: { userId: string; token: string };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** Polls the job until it has finished, as an officer's client would; returns every state it saw. */
  const follow = async (id: string) => {
    const seen: { status: string; progress: { eventsChecked: number; eventsTotal: number } }[] = [];
    for (let i = 0; i < 200; i += 1) {
      const res = await t.http.get(`/audit/verifications/${id}`).set(as(officer.token)).expect(200);
      seen.push(res.body);
      if (res.body.status !== 'running') return { final: res.body, seen };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`verification ${id} did not finish`);
  };

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_LOG_ORIGIN: 'e2e.example/verifications' });
    pool = new Pool({ connectionString: t.db.url, max: 3 });
    officer = await t.register('compliance_officer');
    investor = await t.register();
    for (let i = 0; i < 5; i += 1) await t.register();
    await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201);
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  it('E5: refuses a start without a reason or by a non-officer, before anything runs', async () => {
    const res = await t.http.post('/audit/verifications').set(as(officer.token)).send({}).expect(422);
    expect(res.body).toMatchObject({ code: 'AUDIT.ACCESS_REASON_REQUIRED', rule: 'E5' });
    await t.http.post('/audit/verifications').set(as(investor.token)).send({ reason: 'curious investor' }).expect(403);
    await t.http.post('/audit/verifications').send({ reason: 'anonymous' }).expect(401);
    await t.http.get('/audit/verifications').set(as(investor.token)).expect(403);
    await t.http.get('/audit/verifications/not-a-uuid').set(as(officer.token)).expect(400);
    const missing = await t.http.get('/audit/verifications/00000000-0000-4000-8000-000000000000').set(as(officer.token)).expect(404);
    expect(missing.body.code).toBe('AUDIT.VERIFICATION_NOT_FOUND');
  });

  it('E2: an officer starts a verification, follows its progress and gets OK; the start is recorded with its reason (E5)', async () => {
    const started = await t.http
      .post('/audit/verifications')
      .set(as(officer.token))
      .send({ reason: 'quarterly integrity check' })
      .expect(202);
    expect(started.body).toMatchObject({
      status: 'running',
      requestedBy: officer.userId,
      reason: 'quarterly integrity check',
      progress: { eventsChecked: 0 },
    });
    expect(started.body.progress.eventsTotal).toBeGreaterThanOrEqual(10);
    const { final } = await follow(started.body.id);
    expect(final).toMatchObject({
      status: 'ok',
      result: { ok: true, checkpointsVerified: expect.any(Number) },
      finishedAt: expect.any(String),
    });
    expect(final.progress.eventsChecked).toBe(final.result.treeSize + final.result.unsealedEvents);
    expect(final.progress.eventsChecked).toBeGreaterThanOrEqual(started.body.progress.eventsTotal);

    const list = await t.http.get('/audit/verifications').set(as(officer.token)).expect(200);
    expect(list.body[0]).toMatchObject({ id: started.body.id, status: 'ok' });

    const trail = await t.http
      .get('/audit/events')
      .query({ type: 'audit.EvidenceAccessed', actor: officer.userId, reason: 'checking the access trail' })
      .set(as(officer.token))
      .expect(200);
    expect(trail.body.items.map((e: { data: unknown }) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'log_verification', accessId: started.body.accessId, reason: 'quarterly integrity check' }),
      ]),
    );
  });

  it('runs one at a time across instances: 409 AUDIT.VERIFICATION_RUNNING names the running job; a job left by a dead instance is marked interrupted', async () => {
    // Another instance running a verification: it holds the lock and its job row says running.
    const other = await pool.connect();
    const ghost = '11111111-1111-4111-8111-111111111111';
    try {
      await other.query(`SELECT pg_advisory_lock(hashtext('audit.verification'))`);
      await pool.query(
        `INSERT INTO audit_verifications (id, requested_by, reason, access_id, status, events_total, started_at, updated_at) VALUES ($1, 'someone', 'other instance', $1, 'running', 1, now(), now())`,
        [ghost],
      );
      const refused = await t.http.post('/audit/verifications').set(as(officer.token)).send({ reason: 'second check at once' }).expect(409);
      expect(refused.body).toMatchObject({ code: 'AUDIT.VERIFICATION_RUNNING', details: { runningVerificationId: ghost } });
    } finally {
      // The other instance dies: its session, and so its lock, ends with it.
      other.release(true);
    }
    const started = await t.http
      .post('/audit/verifications')
      .set(as(officer.token))
      .send({ reason: 'after the other instance died' })
      .expect(202);
    expect((await t.http.get(`/audit/verifications/${ghost}`).set(as(officer.token)).expect(200)).body).toMatchObject({
      status: 'interrupted',
      result: { ok: false },
    });
    expect((await follow(started.body.id)).final.status).toBe('ok');
  });

  it('E2: after a superuser changes one sealed row, a new verification names that leaf and the kind of damage', async () => {
    const page = await t.http
      .get('/audit/events')
      .query({ type: 'identity.UserRegistered', reason: 'picking a row to check', limit: 10 })
      .set(as(officer.token))
      .expect(200);
    const target = page.body.items[3] as { eventId: string; leafIndex: number };
    expect(target.leafIndex).toEqual(expect.any(Number));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`UPDATE events SET data = data || '{"tampered": true}' WHERE event_id = $1`, [target.eventId]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const started = await t.http.post('/audit/verifications').set(as(officer.token)).send({ reason: 'suspected tampering' }).expect(202);
    const { final } = await follow(started.body.id);
    expect(final).toMatchObject({
      status: 'failed',
      result: { ok: false, problem: { kind: 'changed', leafIndex: target.leafIndex, eventId: target.eventId } },
    });
    expect(final.progress.eventsChecked).toBe(target.leafIndex);
  });
});

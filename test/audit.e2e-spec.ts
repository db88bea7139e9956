/**
 * The audit API end to end (E2, E4, E5): checkpoints, proofs, search, export and the access trail, checked with the
 * standalone verifier exactly as an outside auditor would.
 */
import { openCheckpoint, parseVerifierKey, verifyCheckpointConsistency, verifyEventInclusion, verifyEvidenceLines } from '@app/audit';
import { LogDatabase } from '@app/event-store';
import { createTestApp, TestApp } from './support/app';

describe('audit API (e2e)', () => {
  let t: TestApp;
  let officer: { userId: string; token: string };
  let investor: { userId: string; token: string };
  let verifierKey: string;
  let origin: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_LOG_ORIGIN: 'e2e.example/audit-log' });
    officer = await t.register('compliance_officer');
    investor = await t.register();
    ({ verifierKey, origin } = (await t.http.get('/audit/verifier-key').expect(200)).body);
  });
  afterAll(async () => t.close());

  it('publishes the verifier key without authentication', () => {
    expect(origin).toBe('e2e.example/audit-log');
    expect(parseVerifierKey(verifierKey).ok).toBe(true);
  });

  it('E2: signs a checkpoint on demand for a compliance officer only', async () => {
    await t.http.post('/audit/checkpoints').set(as(investor.token)).expect(403);
    await t.http.post('/audit/checkpoints').expect(401);
    const res = await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201);
    expect(res.body.treeSize).toBeGreaterThan(0);
    const verifier = parseVerifierKey(verifierKey);
    if (!verifier.ok) throw new Error(verifier.reason);
    expect(openCheckpoint(res.body.note, verifier.value, origin)).toMatchObject({ ok: true, value: { size: res.body.treeSize } });
  });

  it('E5: refuses a search without a reason, naming the rule', async () => {
    const res = await t.http.get('/audit/events').query({ type: 'identity.UserRegistered' }).set(as(officer.token)).expect(422);
    expect(res.body).toMatchObject({ code: 'AUDIT.ACCESS_REASON_REQUIRED', rule: 'E5' });
    await t.http.get('/audit/events').query({ reason: 'routine review of registrations' }).set(as(investor.token)).expect(403);
  });

  it('E5: searches the log with cursor pagination and records who searched, for what and why', async () => {
    const reason = 'routine review of registrations';
    const first = await t.http
      .get('/audit/events')
      .query({ type: 'identity.UserRegistered', limit: 1, reason })
      .set(as(officer.token))
      .expect(200);
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http
      .get('/audit/events')
      .query({ type: 'identity.UserRegistered', limit: 1, cursor: first.body.nextCursor, reason })
      .set(as(officer.token))
      .expect(200);
    expect(second.body.items[0].eventId).not.toBe(first.body.items[0].eventId);
    const trail = await t.http
      .get('/audit/events')
      .query({ type: 'audit.EvidenceAccessed', actor: officer.userId, reason: 'checking the access trail' })
      .set(as(officer.token))
      .expect(200);
    expect(trail.body.items.map((e: { data: unknown }) => e.data)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'log_search',
          actorId: officer.userId,
          reason,
          query: expect.objectContaining({ type: 'identity.UserRegistered' }),
        }),
      ]),
    );
    await t.http.get('/audit/events').query({ cursor: 'bogus', reason }).set(as(officer.token)).expect(400);
  });

  it('the log search is planned with its filter values, not by the generic plans of the fixed statements', async () => {
    // A generic plan cannot tell a rare type from a common one and walked the whole log in commit order for each
    // search by type (about 0.6 s a page at 1M events); the search runs where each call is planned with its values.
    const log = t.app.get(LogDatabase);
    const mode = async (run: LogDatabase['query']) =>
      (await run<{ plan_cache_mode: string }>('SHOW plan_cache_mode')).rows[0].plan_cache_mode;
    expect(await mode((text, values) => log.query(text, values))).toBe('force_generic_plan');
    expect(await mode((text, values) => log.searchQuery(text, values))).toBe('auto');
  });

  it('E2: answers inclusion and consistency proofs that the standalone verifier accepts', async () => {
    const older = (await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201)).body;
    await t.register();
    const newer = (await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201)).body;
    expect(newer.treeSize).toBeGreaterThan(older.treeSize);

    const events = await t.http
      .get('/audit/events')
      .query({ type: 'identity.UserRegistered', reason: 'proof request' })
      .set(as(officer.token))
      .expect(200);
    const eventId = events.body.items[0].eventId;
    const inclusion = await t.http
      .get('/audit/proofs/inclusion')
      .query({ eventId, reason: 'regulator asked for proof' })
      .set(as(officer.token))
      .expect(200);
    expect(verifyEventInclusion({ ...inclusion.body, verifierKey })).toEqual({ ok: true });

    const consistency = await t.http
      .get('/audit/proofs/consistency')
      .query({ from: older.treeSize, to: newer.treeSize })
      .set(as(officer.token))
      .expect(200);
    expect(verifyCheckpointConsistency({ ...consistency.body, verifierKey })).toEqual({ ok: true });

    await t.http.get('/audit/proofs/consistency').query({ from: 999999 }).set(as(officer.token)).expect(404);
    await t.http
      .get('/audit/proofs/inclusion')
      .query({ eventId: '00000000-0000-4000-8000-000000000000', reason: 'x-check' })
      .set(as(officer.token))
      .expect(404);
  });

  it('E2, E4: exports evidence as JSON Lines with a signed checkpoint and inclusion proofs', async () => {
    const res = await t.http
      .post('/audit/exports')
      .set(as(officer.token))
      .send({ type: 'identity.UserRegistered', reason: 'regulator inspection 2026-11' })
      .buffer(true)
      .parse((stream, done) => {
        let body = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => (body += chunk));
        stream.on('end', () => done(null, body));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = (res.body as string).trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ kind: 'header', exportedBy: officer.userId, reason: 'regulator inspection 2026-11' });
    const report = await verifyEvidenceLines(lines, { trustedVerifierKey: verifierKey, expectedOrigin: origin });
    expect(report).toMatchObject({ ok: true, keyTrusted: true, checkpoint: { signedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    expect(report.eventsVerified).toBeGreaterThanOrEqual(4);
  });

  it('lists checkpoints, as JSON or as signed notes', async () => {
    const list = await t.http.get('/audit/checkpoints').set(as(officer.token)).expect(200);
    expect(list.body.length).toBeGreaterThanOrEqual(3);
    const sizes = list.body.map((c: { treeSize: number }) => c.treeSize);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    const notes = await t.http.get('/audit/checkpoints').query({ format: 'notes' }).set(as(officer.token)).expect(200);
    // Each note: the origin line opens its body, then two signature lines (checkpoint key, timestamped cosignature).
    expect(notes.text.split(`${origin}\n`).length - 1).toBe(list.body.length);
    expect(notes.text.split('\u2014 ').length - 1).toBe(2 * list.body.length);
    expect((await t.http.get('/audit/checkpoints/latest').set(as(officer.token)).expect(200)).body.treeSize).toBe(sizes[sizes.length - 1]);
  });

  it('E4: an unknown investor has no file at any instant', async () => {
    const res = await t.http
      .get('/audit/investors/nobody/snapshot')
      .query({ at: '2026-01-01T00:00:00Z', reason: 'complaint 7' })
      .set(as(officer.token))
      .expect(404);
    expect(res.body.code).toBe('AUDIT.INVESTOR_NOT_FOUND');
    expect(
      (await t.http.get('/audit/investors/nobody/timeline').query({ reason: 'complaint 7' }).set(as(officer.token)).expect(200)).body,
    ).toEqual([]);
  });
});

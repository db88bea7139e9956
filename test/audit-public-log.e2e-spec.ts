/**
 * The log's public face (E6): the latest checkpoint, consistency proofs and the keys to check them are served without
 * login, read-only, and rate-limited per client address (429 LOG.RATE_LIMITED with Retry-After).
 */
import { openCheckpoint, parseVerifierKey, verifyCheckpointConsistency } from '@app/audit';
import { createTestApp, TestApp } from './support/app';

describe('public log routes (e2e, E6)', () => {
  let t: TestApp;
  let officer: { token: string };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp({ AUDIT_LOG_ORIGIN: 'e2e.example/public-log', AUDIT_PUBLIC_RATE_LIMIT: '6' });
    officer = await t.register('compliance_officer');
  });
  afterAll(async () => t.close());

  it('serves the checkpoint, a consistency proof and the verifier key without a token', async () => {
    const none = await t.http.get('/log/checkpoint').expect(404).expect('Content-Type', /json/);
    expect(none.body.code).toBe('AUDIT.CHECKPOINT_NOT_FOUND');
    const older = (await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201)).body;
    await t.register();
    const newer = (await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201)).body;

    const key = (await t.http.get('/log/key').expect(200)).body;
    expect(key).toMatchObject({ origin: 'e2e.example/public-log', witnesses: [] });
    const verifier = parseVerifierKey(key.verifierKey);
    if (!verifier.ok) throw new Error(verifier.reason);
    const checkpoint = await t.http
      .get('/log/checkpoint')
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    expect(openCheckpoint(checkpoint.text, verifier.value, key.origin)).toMatchObject({ ok: true, value: { size: newer.treeSize } });
    const consistency = (await t.http.get('/log/consistency').query({ from: older.treeSize }).expect(200)).body;
    expect(verifyCheckpointConsistency({ ...consistency, verifierKey: key.verifierKey })).toEqual({ ok: true });
    await t.http.post('/log/checkpoint').expect(404);
  });

  it('answers 429 with Retry-After once an address exceeds its rate', async () => {
    let limited;
    for (let i = 0; i < 10 && !limited; i += 1) {
      const res = await t.http.get('/log/key');
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(200);
    }
    expect(limited).toBeDefined();
    expect(limited!.body).toMatchObject({ code: 'LOG.RATE_LIMITED' });
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Logged-in routes are not counted against the public limit.
    await t.http.get('/audit/checkpoints/latest').set(as(officer.token)).expect(200);
  });
});

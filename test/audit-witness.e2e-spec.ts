/**
 * Outside witnesses end to end (E6, C2SP tlog-witness and tlog-cosignature): two witnesses, real HTTP servers with
 * their own data folders, cosign each checkpoint the log signs; the log serves its checkpoint with their cosignatures
 * without login; a forked history under the same key and origin, a rewritten root and a rollback are refused by both,
 * also after a witness restarts; an evidence bundle verifies offline with 2 of 2 witnesses required, and fails when a
 * cosignature is missing, altered or from a witness that never cosigned.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import {
  AuditSealer,
  buildConsistencyProof,
  cosignatureTime,
  formatAddCheckpoint,
  formatCheckpoint,
  loadAuditSigning,
  openCheckpoint,
  parseCosignerKey,
  parseVerifierKey,
  PgAuditStore,
  signNote,
  verifyEvidenceLines,
  verifyProofFile,
  WitnessCosigningService,
} from '@app/audit';
import { PgEventStore } from '@app/event-store';
import { RunningWitness, startWitness } from '../apps/witness/src/witness-server';
import { createTestDatabase, TestDatabase } from './support/db';
import { createTestApp, TestApp } from './support/app';

const origin = 'e2e.example/witnessed-log';
const seed = randomBytes(32).toString('base64');
const signing = loadAuditSigning({ AUDIT_LOG_ORIGIN: origin, AUDIT_SIGNING_KEY: seed }, '/nonexistent');
const logVerifier = (() => {
  const parsed = parseVerifierKey(signing.verifierKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
})();
const cosigner = (key: string) => {
  const parsed = parseCosignerKey(key);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};
const post = async (witness: RunningWitness, body: string) => {
  // A fresh connection each time: a witness restarted on the same port must not be reached over a closed socket.
  const res = await fetch(`${witness.url}/add-checkpoint`, { method: 'POST', body, headers: { Connection: 'close' } });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
};

describe('witness cosigning (e2e, E6)', () => {
  const root = join('.data', `witness-e2e-${randomBytes(4).toString('hex')}`);
  const w1Dir = join(root, 'w1');
  let w1: RunningWitness;
  let w2: RunningWitness;
  let t: TestApp;
  let officer: { token: string };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const cosigned = () => t.app.get(WitnessCosigningService).settled();
  const checkpointNow = async () => {
    const res = await t.http.post('/audit/checkpoints').set(as(officer.token)).expect(201);
    await cosigned();
    return res.body as { treeSize: number; note: string };
  };

  beforeAll(async () => {
    mkdirSync(root, { recursive: true });
    w1 = await startWitness({ name: 'witness.example/w1', dataDir: w1Dir, logKeys: [signing.verifierKey], port: 0 });
    w2 = await startWitness({ name: 'witness.example/w2', dataDir: join(root, 'w2'), logKeys: [signing.verifierKey], port: 0 });
    t = await createTestApp({
      AUDIT_LOG_ORIGIN: origin,
      AUDIT_SIGNING_KEY: seed,
      AUDIT_WITNESSES: `${w1.cosignerKey}@${w1.url}, ${w2.cosignerKey}@${w2.url}/`,
    });
    officer = await t.register('compliance_officer');
  });
  afterAll(async () => {
    await t.close();
    await w1.close();
    await w2.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('both witnesses cosign each new checkpoint, and the log serves it with their cosignatures without login', async () => {
    const first = await checkpointNow();
    let served = (await t.http.get('/log/checkpoint').expect(200)).text;
    expect(openCheckpoint(served, logVerifier, origin)).toMatchObject({ ok: true, value: { size: first.treeSize } });
    for (const witness of [w1, w2])
      expect(cosignatureTime(served, cosigner(witness.cosignerKey))).toEqual({ ok: true, value: expect.any(Number) });

    // A larger checkpoint: each witness checks the consistency proof from the size it cosigned before.
    await t.register();
    const second = await checkpointNow();
    expect(second.treeSize).toBeGreaterThan(first.treeSize);
    served = (await t.http.get('/log/checkpoint').expect(200)).text;
    expect(openCheckpoint(served, logVerifier, origin)).toMatchObject({ ok: true, value: { size: second.treeSize } });
    for (const witness of [w1, w2])
      expect(cosignatureTime(served, cosigner(witness.cosignerKey))).toEqual({ ok: true, value: expect.any(Number) });
    // The log lost its record of the witnesses' sizes: each answers 409 with its size, and the log retries from there.
    const pool = new Pool({ connectionString: t.db.url, max: 1 });
    await pool.query('DELETE FROM audit_witness_sizes');
    await pool.end();
    await t.register();
    const third = await checkpointNow();
    served = (await t.http.get('/log/checkpoint').expect(200)).text;
    expect(openCheckpoint(served, logVerifier, origin)).toMatchObject({ ok: true, value: { size: third.treeSize } });
    for (const witness of [w1, w2])
      expect(cosignatureTime(served, cosigner(witness.cosignerKey))).toEqual({ ok: true, value: expect.any(Number) });
    const keys = (await t.http.get('/log/key').expect(200)).body;
    expect(keys).toEqual({ origin, verifierKey: signing.verifierKey, witnesses: [w1.cosignerKey, w2.cosignerKey] });
  });

  it('a forked history under the same key and origin, a rewritten root and a rollback are refused by both witnesses, also after a restart', async () => {
    const held = await checkpointNow();
    // The fork: another database, the same signing key and origin, a different (and longer) history.
    const forkDb: TestDatabase = await createTestDatabase();
    const forkPool = new Pool({ connectionString: forkDb.url, max: 4 });
    try {
      const forkEvents = new PgEventStore(forkPool, new Map(), 20);
      for (let i = 0; i < held.treeSize + 5; i += 1) {
        await forkEvents.append(
          `fork-${i}`,
          [
            {
              id: crypto.randomUUID(),
              type: 'test.Forked',
              data: { i },
              metadata: { actor: 'mallory', correlationId: crypto.randomUUID(), occurredAt: '2026-12-01T00:00:00.000Z', channel: 'api' },
            },
          ],
          'no_stream',
        );
      }
      const fork = await new AuditSealer(forkPool, signing).checkpoint();
      if (!fork) throw new Error('the fork has no checkpoint');
      const forkProof = await buildConsistencyProof(new PgAuditStore(forkPool).reader(), held.treeSize, fork.treeSize);
      const rewritten = signNote(formatCheckpoint({ origin, size: held.treeSize, rootHash: randomBytes(32) }), [signing.signer]);
      const older = (await t.http.get('/audit/checkpoints').query({ limit: 1 }).set(as(officer.token)).expect(200)).body as {
        treeSize: number;
        note: string;
      }[];
      for (const witness of [w1, w2]) {
        const forked = await post(witness, formatAddCheckpoint({ oldSize: held.treeSize, proof: forkProof, note: fork.note }));
        expect(forked.status).toBe(422);
        const sameSize = await post(witness, formatAddCheckpoint({ oldSize: held.treeSize, proof: [], note: rewritten }));
        expect(sameSize).toMatchObject({ status: 409, type: 'text/x.tlog.size', body: `${held.treeSize}\n` });
        // A rollback: an older checkpoint of the log, from an old size the witness no longer holds, or from its own.
        const rollback = await post(witness, formatAddCheckpoint({ oldSize: older[0].treeSize, proof: [], note: older[0].note }));
        expect(rollback).toMatchObject({ status: 409, body: `${held.treeSize}\n` });
        expect((await post(witness, formatAddCheckpoint({ oldSize: held.treeSize, proof: [], note: older[0].note }))).status).toBe(400);
        // A checkpoint of this origin signed by another key, and one of a log the witness does not know.
        const stranger = loadAuditSigning(
          { AUDIT_LOG_ORIGIN: origin, AUDIT_SIGNING_KEY: randomBytes(32).toString('base64') },
          '/nonexistent',
        );
        expect(
          (
            await post(
              witness,
              formatAddCheckpoint({
                oldSize: 0,
                proof: [],
                note: signNote(formatCheckpoint({ origin, size: 1, rootHash: randomBytes(32) }), [stranger.signer]),
              }),
            )
          ).status,
        ).toBe(403);
        const elsewhere = loadAuditSigning({ AUDIT_LOG_ORIGIN: 'other.example/log', AUDIT_SIGNING_KEY: seed }, '/nonexistent');
        expect(
          (
            await post(
              witness,
              formatAddCheckpoint({
                oldSize: 0,
                proof: [],
                note: signNote(formatCheckpoint({ origin: 'other.example/log', size: 1, rootHash: randomBytes(32) }), [elsewhere.signer]),
              }),
            )
          ).status,
        ).toBe(404);
        expect((await post(witness, 'garbage')).status).toBe(400);
      }
      // The witness's view survives a restart: the fork is still refused, and its size is what it answers.
      await w1.close();
      w1 = await startWitness({
        name: 'witness.example/w1',
        dataDir: w1Dir,
        logKeys: [signing.verifierKey],
        port: Number(new URL(w1.url).port),
      });
      expect((await post(w1, formatAddCheckpoint({ oldSize: held.treeSize, proof: forkProof, note: fork.note }))).status).toBe(422);
      expect(await post(w1, formatAddCheckpoint({ oldSize: 0, proof: [], note: fork.note }))).toMatchObject({
        status: 409,
        body: `${held.treeSize}\n`,
      });
    } finally {
      await forkPool.end();
      await forkDb.drop();
    }
    // The genuine log goes on being cosigned by both.
    await t.register();
    const next = await checkpointNow();
    const served = (await t.http.get('/log/checkpoint').expect(200)).text;
    expect(openCheckpoint(served, logVerifier, origin)).toMatchObject({ ok: true, value: { size: next.treeSize } });
    for (const witness of [w1, w2])
      expect(cosignatureTime(served, cosigner(witness.cosignerKey))).toEqual({ ok: true, value: expect.any(Number) });
  });

  it('an evidence bundle carries the cosignatures and verifies offline with 2 of 2 witnesses; a missing, altered or unknown cosignature fails', async () => {
    const res = await t.http
      .post('/audit/exports')
      .set(as(officer.token))
      .send({ type: 'identity.UserRegistered', reason: 'dispute 2026-7 evidence' })
      .expect(200);
    const lines = res.text.split('\n').filter(Boolean);
    const witnesses = [w1.cosignerKey, w2.cosignerKey];
    const policy = { trustedVerifierKey: signing.verifierKey, witnesses, minWitnesses: 2 };
    const good = await verifyEvidenceLines(lines, policy);
    expect(good).toMatchObject({ ok: true, keyTrusted: true, witnesses: [{ name: 'witness.example/w1' }, { name: 'witness.example/w2' }] });
    expect(good.eventsVerified).toBeGreaterThan(0);

    const header = JSON.parse(lines[0]) as { checkpoint: string };
    const withHeader = (checkpoint: string) => [JSON.stringify({ ...header, checkpoint }), ...lines.slice(1)];
    const signatureLines = header.checkpoint.split('\n').filter((line) => line.startsWith('\u2014 witness.example/w2'));
    expect(signatureLines).toHaveLength(1);
    const withoutW2 = header.checkpoint.replace(`${signatureLines[0]}\n`, '');
    const missing = await verifyEvidenceLines(withHeader(withoutW2), policy);
    expect(missing.ok).toBe(false);
    expect(missing.problems[0].reason).toMatch(/1 of the required 2 witness cosignatures verify; none from witness.example\/w2/);
    expect((await verifyEvidenceLines(withHeader(withoutW2), { ...policy, minWitnesses: 1 })).ok).toBe(true);

    const blob = Buffer.from(signatureLines[0].split(' ')[2], 'base64');
    blob[blob.length - 1] ^= 0x01;
    const altered = header.checkpoint.replace(signatureLines[0], `\u2014 witness.example/w2 ${blob.toString('base64')}`);
    expect((await verifyEvidenceLines(withHeader(altered), policy)).problems[0].reason).toMatch(
      /cosignature by witness.example\/w2 does not verify/,
    );

    const stranger = await startWitness({ name: 'witness.example/w3', dataDir: join(root, 'w3'), logKeys: [signing.verifierKey], port: 0 });
    await stranger.close();
    expect((await verifyEvidenceLines(lines, { ...policy, witnesses: [w1.cosignerKey, stranger.cosignerKey] })).ok).toBe(false);

    // The command-line verifier reads the same file.
    const file = join(root, 'bundle.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const check = await verifyProofFile(file, signing.verifierKey, { witnesses, minWitnesses: 2 });
    expect(check).toMatchObject({ kind: 'evidence', report: { ok: true } });
    writeFileSync(file, `${withHeader(withoutW2).join('\n')}\n`);
    expect(await verifyProofFile(file, signing.verifierKey, { witnesses, minWitnesses: 2 })).toMatchObject({
      kind: 'evidence',
      report: { ok: false },
    });
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCheckpoint } from '../domain/checkpoint';
import { buildConsistencyProof, buildInclusionProof } from '../domain/proof-builder';
import { ed25519NoteSigner, verifierKeyOf } from '../domain/signed-note';
import { buildMemoryTree } from '../domain/testing/memory-node-store';
import { encodeHashes, EVIDENCE_FORMAT, toEvidenceEvent } from '../domain/verification';
import { proofCheckPassed, verifyProofFile } from './verify-proof';
import { eventHash } from '@app/common';

const origin = 'test.example/audit';
const key = generateKeyPairSync('ed25519').privateKey;
const signer = ed25519NoteSigner(origin, key);
const verifierKey = verifierKeyOf(key, origin);
const events = Array.from({ length: 9 }, (_, i) => {
  const fields = {
    id: `00000000-0000-4000-8000-00000000000${i}`,
    streamId: 's',
    revision: BigInt(i),
    type: 't.Happened',
    schemaVersion: 1,
    data: { i },
    metadata: { actor: 'a' },
  };
  return { ...fields, hash: eventHash(fields) };
});
const tree = buildMemoryTree(events.map((e) => Buffer.from(e.hash, 'hex')));
const checkpoint = (size: number) => signCheckpoint({ origin, size, rootHash: tree.roots[size - 1] }, signer);
const dir = mkdtempSync(join(tmpdir(), 'verify-proof-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('audit verify-proof, standalone (E2)', () => {
  it('checks an inclusion answer', async () => {
    const answer = {
      eventId: events[3].id,
      eventHash: events[3].hash,
      checkpoint: checkpoint(9),
      proof: { leafIndex: 3, treeSize: 9, hashes: encodeHashes(await buildInclusionProof(tree.read, 3, 9)) },
    };
    expect(proofCheckPassed(await verifyProofFile(file('inclusion.json', JSON.stringify(answer)), verifierKey))).toBe(true);
    const forged = { ...answer, eventHash: events[4].hash };
    expect(await verifyProofFile(file('forged.json', JSON.stringify(forged)), verifierKey)).toMatchObject({
      kind: 'inclusion',
      verdict: { ok: false },
    });
  });

  it('checks a consistency answer', async () => {
    const answer = {
      older: checkpoint(4),
      newer: checkpoint(9),
      proof: { fromSize: 4, toSize: 9, hashes: encodeHashes(await buildConsistencyProof(tree.read, 4, 9)) },
    };
    expect(await verifyProofFile(file('consistency.json', JSON.stringify(answer)), verifierKey)).toEqual({
      kind: 'consistency',
      verdict: { ok: true },
    });
  });

  it('checks an evidence bundle, streamed line by line', async () => {
    const header = {
      kind: 'header',
      format: EVIDENCE_FORMAT,
      checkpoint: checkpoint(9),
      verifierKey,
      exportedAt: 'x',
      exportedBy: 'o',
      reason: 'r',
      query: {},
    };
    const lines = [JSON.stringify(header)];
    for (const i of [0, 8]) lines.push(JSON.stringify(toEvidenceEvent(events[i], i, await buildInclusionProof(tree.read, i, 9))));
    lines.push(JSON.stringify({ kind: 'end', events: 2 }));
    const check = await verifyProofFile(file('bundle.jsonl', `${lines.join('\n')}\n`), verifierKey);
    expect(check).toMatchObject({ kind: 'evidence', report: { ok: true, eventsVerified: 2 } });
  });

  it('refuses what it does not recognise', async () => {
    expect(proofCheckPassed(await verifyProofFile(file('junk.json', '{"hello":1}'), verifierKey))).toBe(false);
    expect(proofCheckPassed(await verifyProofFile(file('junk.txt', 'not json'), verifierKey))).toBe(false);
  });
});

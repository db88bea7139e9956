/**
 * The standalone verifier (E2, E4): what a regulator or outside auditor runs on a checkpoint, a proof or an evidence
 * export, with no access to our database.
 */
import { generateKeyPairSync } from 'node:crypto';
import { signCheckpoint } from './checkpoint';
import { leafHashOfEventHash } from './merkle';
import { buildConsistencyProof, buildInclusionProof } from './proof-builder';
import { ed25519NoteSigner, verifierKeyOf } from './signed-note';
import { buildMemoryTree, MemoryTree } from './testing/memory-node-store';
import {
  encodeHashes,
  EVIDENCE_FORMAT,
  EvidenceHeader,
  toEvidenceEvent,
  verifyCheckpointConsistency,
  verifyEventInclusion,
  verifyEvidenceLines,
} from './verification';
import { CompactRange } from './compact-range';
import { eventHash, HashedFields } from '@app/common';

const origin = 'marketplace.example/audit-log';
const key = generateKeyPairSync('ed25519').privateKey;
const signer = ed25519NoteSigner(origin, key);
const verifierKey = verifierKeyOf(key, origin);

const events: (HashedFields & { hash: string })[] = Array.from({ length: 23 }, (_, i) => {
  const fields: HashedFields = {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    streamId: `advisory-account-${i % 4}`,
    revision: BigInt(Math.floor(i / 4)),
    type: 'advisory.RiskToleranceAssessed',
    schemaVersion: 1,
    data: { category: `C${(i % 5) + 1}`, score: i * 3 },
    metadata: { actor: 'investor-1', correlationId: `c-${i}`, occurredAt: '2026-11-01T00:00:00.000Z', channel: 'app' },
  };
  return { ...fields, hash: eventHash(fields) };
});

// The tree's leaves are the raw bytes of each stored event hash; buildMemoryTree applies the leaf prefix itself.
const tree: MemoryTree = buildMemoryTree(events.map((e) => Buffer.from(e.hash, 'hex')));
const checkpointAt = (size: number) => signCheckpoint({ origin, size, rootHash: tree.roots[size - 1] }, signer);

const bundle = async (size: number, picks: number[]): Promise<string[]> => {
  const header: EvidenceHeader = {
    kind: 'header',
    format: EVIDENCE_FORMAT,
    checkpoint: checkpointAt(size),
    verifierKey,
    exportedAt: '2026-11-23T00:00:00.000Z',
    exportedBy: 'compliance-1',
    reason: 'regulator request 42',
    query: { streamId: 'advisory-account-1' },
  };
  const lines = [JSON.stringify(header)];
  for (const i of picks) lines.push(JSON.stringify(toEvidenceEvent(events[i], i, await buildInclusionProof(tree.read, i, size))));
  lines.push(JSON.stringify({ kind: 'end', events: picks.length }));
  return lines;
};

describe('standalone verification of proofs and evidence (E2, E4)', () => {
  it('uses the stored event hash bytes as leaf data', () => {
    const range = CompactRange.empty();
    range.append(leafHashOfEventHash(events[0].hash));
    expect(range.root()).toEqual(tree.roots[0]);
  });

  it('accepts an event inclusion proof against a signed checkpoint and refuses it for another event', async () => {
    const proof = { leafIndex: 7, treeSize: 20, hashes: encodeHashes(await buildInclusionProof(tree.read, 7, 20)) };
    expect(verifyEventInclusion({ checkpoint: checkpointAt(20), verifierKey, eventHash: events[7].hash, proof })).toEqual({ ok: true });
    expect(verifyEventInclusion({ checkpoint: checkpointAt(20), verifierKey, eventHash: events[8].hash, proof }).ok).toBe(false);
    expect(verifyEventInclusion({ checkpoint: checkpointAt(21), verifierKey, eventHash: events[7].hash, proof }).ok).toBe(false);
    const otherKey = verifierKeyOf(generateKeyPairSync('ed25519').privateKey, origin);
    expect(verifyEventInclusion({ checkpoint: checkpointAt(20), verifierKey: otherKey, eventHash: events[7].hash, proof }).ok).toBe(false);
  });

  it('accepts a consistency proof between two signed checkpoints and refuses a forked history', async () => {
    const proof = { fromSize: 9, toSize: 23, hashes: encodeHashes(await buildConsistencyProof(tree.read, 9, 23)) };
    expect(verifyCheckpointConsistency({ older: checkpointAt(9), newer: checkpointAt(23), verifierKey, proof })).toEqual({ ok: true });
    const forked = buildMemoryTree(events.map((e, i) => Buffer.from(i === 4 ? events[5].hash : e.hash, 'hex')));
    const forkedNewer = signCheckpoint({ origin, size: 23, rootHash: forked.roots[22] }, signer);
    const forkedProof = { ...proof, hashes: encodeHashes(await buildConsistencyProof(forked.read, 9, 23)) };
    expect(verifyCheckpointConsistency({ older: checkpointAt(9), newer: forkedNewer, verifierKey, proof: forkedProof }).ok).toBe(false);
  });

  it('verifies an evidence bundle line by line against a trusted key', async () => {
    const report = await verifyEvidenceLines(await bundle(23, [1, 5, 9, 13, 17, 21]), { trustedVerifierKey: verifierKey });
    expect(report).toMatchObject({ ok: true, keyTrusted: true, eventsVerified: 6, problems: [] });
    expect(report.checkpoint).toMatchObject({ origin, size: 23 });
  });

  it('says when the key came from the bundle itself', async () => {
    expect(await verifyEvidenceLines(await bundle(10, [1]))).toMatchObject({ ok: true, keyTrusted: false });
  });

  it('detects a changed event payload and names its line', async () => {
    const lines = await bundle(23, [1, 5, 9]);
    lines[2] = lines[2].replace('"score":15', '"score":16');
    const report = await verifyEvidenceLines(lines, { trustedVerifierKey: verifierKey });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ line: 3, eventId: events[5].id, reason: 'event content does not match its stored hash' }]);
  });

  it('detects a re-hashed event whose proof no longer fits', async () => {
    const lines = await bundle(23, [1, 5]);
    const line = JSON.parse(lines[2]);
    line.event.data.score = 999;
    line.hash = eventHash({ ...line.event, revision: BigInt(line.event.revision) });
    lines[2] = JSON.stringify(line);
    const report = await verifyEvidenceLines(lines, { trustedVerifierKey: verifierKey });
    expect(report.problems).toMatchObject([{ line: 3, reason: expect.stringMatching(/^inclusion:/) }]);
  });

  it('detects a dropped line, a moved leaf index and a foreign signing key', async () => {
    const dropped = await bundle(23, [1, 5, 9]);
    dropped.splice(2, 1);
    expect((await verifyEvidenceLines(dropped, { trustedVerifierKey: verifierKey })).problems).toMatchObject([
      { reason: 'end line counts 3 events, bundle has 2' },
    ]);

    const moved = await bundle(23, [6]);
    moved[1] = moved[1].replace('"leafIndex":6', '"leafIndex":7');
    expect((await verifyEvidenceLines(moved, { trustedVerifierKey: verifierKey })).ok).toBe(false);

    const truncated = (await bundle(23, [6])).slice(0, 2);
    expect((await verifyEvidenceLines(truncated, { trustedVerifierKey: verifierKey })).problems).toMatchObject([
      { reason: expect.stringMatching(/truncated/) },
    ]);

    const foreign = verifierKeyOf(generateKeyPairSync('ed25519').privateKey, origin);
    expect((await verifyEvidenceLines(await bundle(23, [6]), { trustedVerifierKey: foreign })).ok).toBe(false);
  });
});

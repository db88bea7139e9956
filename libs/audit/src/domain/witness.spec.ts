/**
 * The witness's decision (C2SP tlog-witness, E6), given the checkpoint it holds, when a log submits another: cosign only
 * a correctly signed checkpoint of a known origin that is consistent with the one held; answer the held size on a stale
 * old size (409), refuse a fork (422 for an inconsistent proof, 409 for another root at the same size) and a rollback.
 */
import { generateKeyPairSync } from 'node:crypto';
import { formatCheckpoint } from './checkpoint';
import { buildConsistencyProof } from './proof-builder';
import { ed25519NoteSigner, NoteVerifier, parseVerifierKey, signNote, verifierKeyOf } from './signed-note';
import { buildMemoryTree } from './testing/memory-node-store';
import {
  AddCheckpointRequest,
  decideAddCheckpoint,
  formatAddCheckpoint,
  MAX_PROOF_LINES,
  parseAddCheckpoint,
  WitnessedCheckpoint,
} from './witness';

const origin = 'log.example/a';
const keyPair = () => generateKeyPairSync('ed25519').privateKey;
const logKey = keyPair();
const signer = ed25519NoteSigner(origin, logKey);
const verifierOf = (vkey: string): NoteVerifier => {
  const parsed = parseVerifierKey(vkey);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};
const trusted = new Map([[origin, [verifierOf(verifierKeyOf(logKey, origin))]]]);

const tree = buildMemoryTree(Array.from({ length: 40 }, (_, i) => Buffer.from(`entry ${i}`)));
const forkTree = buildMemoryTree(Array.from({ length: 40 }, (_, i) => Buffer.from(i === 3 ? 'rewritten' : `entry ${i}`)));
const note = (size: number, root = tree.roots[size - 1], by = signer) => signNote(formatCheckpoint({ origin, size, rootHash: root }), [by]);
const held = (size: number): WitnessedCheckpoint => ({ origin, size, rootHash: tree.roots[size - 1] });

const given = (latest: WitnessedCheckpoint | undefined) => ({
  when: (request: AddCheckpointRequest) => decideAddCheckpoint(request, trusted, latest),
});

describe('tlog-witness add-checkpoint request format', () => {
  it('round-trips the old size, proof lines and checkpoint', async () => {
    const proof = await buildConsistencyProof(tree.read, 10, 30);
    const request = { oldSize: 10, proof, note: note(30) };
    const body = formatAddCheckpoint(request);
    expect(body.startsWith('old 10\n')).toBe(true);
    expect(parseAddCheckpoint(body)).toEqual({ ok: true, value: request });
  });

  it.each([
    ['no blank line', 'old 1\n'],
    ['a leading zero', `old 01\n\n${'x'}`],
    ['a missing old line', `\n\nbody`],
    ['a proof line that is not a 32-byte hash', `old 1\nAAAA\n\nbody`],
    ['too many proof lines', `old 1\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(MAX_PROOF_LINES + 1)}\nbody`],
  ])('refuses a body with %s', (_label, body) => {
    expect(parseAddCheckpoint(body).ok).toBe(false);
  });
});

describe('witness decision', () => {
  it('cosigns the first checkpoint of a known log from old size 0', () => {
    expect(given(undefined).when({ oldSize: 0, proof: [], note: note(5) })).toMatchObject({ status: 200, checkpoint: { size: 5 } });
  });

  it('cosigns a larger checkpoint with a valid consistency proof from the size it holds', async () => {
    const proof = await buildConsistencyProof(tree.read, 12, 33);
    expect(given(held(12)).when({ oldSize: 12, proof, note: note(33) })).toMatchObject({ status: 200, checkpoint: { size: 33 } });
  });

  it('cosigns the same checkpoint again', () => {
    expect(given(held(12)).when({ oldSize: 12, proof: [], note: note(12) })).toMatchObject({ status: 200 });
  });

  it('answers 409 with the size it holds when the old size is stale (including a rollback to an older checkpoint)', () => {
    expect(given(held(12)).when({ oldSize: 0, proof: [], note: note(20) })).toMatchObject({ status: 409, knownSize: 12 });
    expect(given(held(12)).when({ oldSize: 7, proof: [], note: note(7) })).toMatchObject({ status: 409, knownSize: 12 });
  });

  it('refuses an old size larger than the checkpoint (400)', () => {
    expect(given(held(12)).when({ oldSize: 12, proof: [], note: note(8) })).toMatchObject({ status: 400 });
  });

  it('refuses a fork: another root at the size it holds (409), or a proof that does not lead from its root (422)', async () => {
    expect(given(held(12)).when({ oldSize: 12, proof: [], note: note(12, forkTree.roots[11]) })).toMatchObject({
      status: 409,
      knownSize: 12,
    });
    const forkProof = await buildConsistencyProof(forkTree.read, 12, 30);
    expect(given(held(12)).when({ oldSize: 12, proof: forkProof, note: note(30, forkTree.roots[29]) })).toMatchObject({ status: 422 });
    const honestProof = await buildConsistencyProof(tree.read, 12, 30);
    expect(given(held(12)).when({ oldSize: 12, proof: honestProof, note: note(30, forkTree.roots[29]) })).toMatchObject({ status: 422 });
  });

  it('refuses a proof from old size 0 (400), an unknown origin (404) and a checkpoint no trusted key signed (403)', () => {
    expect(given(undefined).when({ oldSize: 0, proof: [tree.roots[0]], note: note(5) })).toMatchObject({ status: 400 });
    const other = ed25519NoteSigner('log.example/b', keyPair());
    expect(
      given(undefined).when({
        oldSize: 0,
        proof: [],
        note: signNote(formatCheckpoint({ origin: 'log.example/b', size: 1, rootHash: tree.roots[0] }), [other]),
      }),
    ).toMatchObject({ status: 404 });
    const impostor = ed25519NoteSigner(origin, keyPair());
    expect(given(undefined).when({ oldSize: 0, proof: [], note: note(5, tree.roots[4], impostor) })).toMatchObject({ status: 403 });
  });
});

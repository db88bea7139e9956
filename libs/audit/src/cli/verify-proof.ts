/**
 * `audit verify-proof`: checks, with no database and nothing but the log's verifier key, any of the three artefacts the
 * audit API hands out: an evidence bundle (JSON Lines), an inclusion answer or a consistency answer (JSON). The kind is
 * recognised from the content, so an officer can pass on whatever file they were given.
 */
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fail, Verdict } from '../domain/proof-verifier';
import {
  checkWitnessCosignatures,
  ConsistencyProof,
  EvidenceReport,
  InclusionProof,
  verifyCheckpointConsistency,
  verifyEventInclusion,
  verifyEvidenceLines,
  WitnessPolicy,
} from '../domain/verification';

export type ProofCheck =
  | { readonly kind: 'evidence'; readonly report: EvidenceReport }
  | { readonly kind: 'inclusion' | 'consistency'; readonly verdict: Verdict }
  | { readonly kind: 'unknown'; readonly verdict: Verdict };

// A bundle header carries one signed note and a key: 64 KiB is ample, and a bundle of any size is never read whole here.
const firstLine = (path: string): string => {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString('utf8').split('\n', 1)[0];
  } finally {
    closeSync(fd);
  }
};

export const verifyProofFile = async (path: string, verifierKey: string, witnesses: WitnessPolicy = {}): Promise<ProofCheck> => {
  let head: unknown;
  try {
    head = JSON.parse(firstLine(path));
  } catch {
    head = undefined;
  }
  const record = (head ?? {}) as Record<string, unknown>;
  if (record.kind === 'header') {
    const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    return { kind: 'evidence', report: await verifyEvidenceLines(lines, { trustedVerifierKey: verifierKey, ...witnesses }) };
  }
  let whole: Record<string, unknown>;
  try {
    whole = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return { kind: 'unknown', verdict: fail('not an evidence bundle or a JSON proof') };
  }
  if (typeof whole.checkpoint === 'string' && typeof whole.eventHash === 'string' && whole.proof) {
    const verdict = verifyEventInclusion({
      checkpoint: whole.checkpoint,
      verifierKey,
      eventHash: whole.eventHash,
      proof: whole.proof as InclusionProof,
    });
    const witnessed = checkWitnessCosignatures(whole.checkpoint, witnesses);
    return {
      kind: 'inclusion',
      verdict: verdict.ok && witnessed.problems.length > 0 ? fail(`witnesses: ${witnessed.problems.join('; ')}`) : verdict,
    };
  }
  if (typeof whole.older === 'string' && typeof whole.newer === 'string' && whole.proof) {
    return {
      kind: 'consistency',
      verdict: verifyCheckpointConsistency({ older: whole.older, newer: whole.newer, verifierKey, proof: whole.proof as ConsistencyProof }),
    };
  }
  return { kind: 'unknown', verdict: fail('not an evidence bundle, an inclusion answer or a consistency answer') };
};

export const proofCheckPassed = (check: ProofCheck): boolean => (check.kind === 'evidence' ? check.report.ok : check.verdict.ok);

/**
 * What an outside auditor runs, with no database: check a signed checkpoint, an event's inclusion under it, the
 * consistency of two checkpoints, and a whole exported evidence bundle (E2, E4). Proof hashes travel as lowercase hex.
 */
import { Checkpoint, openCheckpoint } from './checkpoint';
import { leafHashOfEventHash } from './merkle';
import { fail, Verdict, verifyConsistency, verifyInclusion } from './proof-verifier';
import { cosignatureTime, parseCosignerKey, signedTimestamp } from './cosignature';
import { NoteResult, parseVerifierKey } from './signed-note';
import { eventHash, HashedFields, hashedFieldsOnTheWire } from '@app/common';

export interface InclusionProof {
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly hashes: readonly string[];
}

export interface ConsistencyProof {
  readonly fromSize: number;
  readonly toSize: number;
  readonly hashes: readonly string[];
}

const HEX_HASH = /^[0-9a-f]{64}$/;

const decodeHashes = (hashes: readonly string[]): Buffer[] | null =>
  hashes.every((h) => typeof h === 'string' && HEX_HASH.test(h)) ? hashes.map((h) => Buffer.from(h, 'hex')) : null;

export const encodeHashes = (hashes: readonly Buffer[]): string[] => hashes.map((h) => h.toString('hex'));

/** Verifies the checkpoint's signature under the given verifier key and returns what it commits to. */
export const verifyCheckpointNote = (note: string, verifierKey: string, expectedOrigin?: string): NoteResult<Checkpoint> => {
  const verifier = parseVerifierKey(verifierKey);
  if (!verifier.ok) return verifier;
  return openCheckpoint(note, verifier.value, expectedOrigin);
};

/**
 * When the checkpoint was signed, from its timestamped cosignature by the same key; null for a checkpoint that carries
 * none. A cosignature that is present but does not verify is a refusal.
 */
export const verifyCheckpointTime = (note: string, verifierKey: string): NoteResult<string | null> => {
  const verifier = parseVerifierKey(verifierKey);
  if (!verifier.ok) return verifier;
  const seconds = signedTimestamp(note, verifier.value);
  if (!seconds.ok) return seconds;
  return { ok: true, value: seconds.value === null ? null : new Date(seconds.value * 1000).toISOString() };
};

/** An event (by its stored hash) is the leaf at `proof.leafIndex` of the tree the signed checkpoint commits to. */
export const verifyEventInclusion = (input: {
  readonly checkpoint: string;
  readonly verifierKey: string;
  readonly eventHash: string;
  readonly proof: InclusionProof;
}): Verdict => {
  const checkpoint = verifyCheckpointNote(input.checkpoint, input.verifierKey);
  if (!checkpoint.ok) return fail(`checkpoint: ${checkpoint.reason}`);
  if (input.proof.treeSize !== checkpoint.value.size) {
    return fail(`proof is for tree size ${input.proof.treeSize}, checkpoint is for ${checkpoint.value.size}`);
  }
  if (!HEX_HASH.test(input.eventHash)) return fail('event hash must be 64 lowercase hex digits');
  const hashes = decodeHashes(input.proof.hashes);
  if (!hashes) return fail('proof hashes must be 64 lowercase hex digits each');
  return verifyInclusion(
    input.proof.leafIndex,
    checkpoint.value.size,
    leafHashOfEventHash(input.eventHash),
    hashes,
    checkpoint.value.rootHash,
  );
};

/** The newer checkpoint's log extends the older one's without rewriting anything (both signed by the same key). */
export const verifyCheckpointConsistency = (input: {
  readonly older: string;
  readonly newer: string;
  readonly verifierKey: string;
  readonly proof: ConsistencyProof;
}): Verdict => {
  const older = verifyCheckpointNote(input.older, input.verifierKey);
  if (!older.ok) return fail(`older checkpoint: ${older.reason}`);
  const newer = verifyCheckpointNote(input.newer, input.verifierKey, older.value.origin);
  if (!newer.ok) return fail(`newer checkpoint: ${newer.reason}`);
  if (input.proof.fromSize !== older.value.size || input.proof.toSize !== newer.value.size) {
    return fail('proof sizes do not match the checkpoints');
  }
  const hashes = decodeHashes(input.proof.hashes);
  if (!hashes) return fail('proof hashes must be 64 lowercase hex digits each');
  return verifyConsistency(older.value.size, newer.value.size, older.value.rootHash, newer.value.rootHash, hashes);
};

/**
 * Evidence export, one JSON object per line: a header (the signed checkpoint and the log's verifier key), one line per
 * exported event (its stored fields, stored hash, leaf index and inclusion proof), and a trailer with the event count so a
 * dropped line is noticed.
 */
export const EVIDENCE_FORMAT = 'audit-evidence/1';

export interface EvidenceHeader {
  readonly kind: 'header';
  readonly format: typeof EVIDENCE_FORMAT;
  readonly checkpoint: string;
  readonly verifierKey: string;
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly reason: string;
  readonly query: Record<string, unknown>;
}

export interface EvidenceEventFields {
  readonly id: string;
  readonly streamId: string;
  readonly revision: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

export interface EvidenceEvent {
  readonly kind: 'event';
  readonly event: EvidenceEventFields;
  readonly hash: string;
  readonly leafIndex: number;
  readonly inclusionProof: readonly string[];
}

export interface EvidenceTrailer {
  readonly kind: 'end';
  readonly events: number;
}

export type EvidenceLine = EvidenceHeader | EvidenceEvent | EvidenceTrailer;

export interface EvidenceProblem {
  readonly line: number;
  readonly eventId?: string;
  readonly reason: string;
}

export interface EvidenceReport {
  readonly ok: boolean;
  readonly checkpoint?: { readonly origin: string; readonly size: number; readonly rootHash: string; readonly signedAt: string | null };
  /** False when no trusted key was supplied and the bundle's own key was used: the signature then proves nothing. */
  readonly keyTrusted: boolean;
  /** The required witnesses whose cosignature of the checkpoint verifies, with when they cosigned (E6). */
  readonly witnesses: readonly { readonly name: string; readonly cosignedAt: string }[];
  readonly eventsVerified: number;
  readonly problems: readonly EvidenceProblem[];
}

/** One exported event as it goes on the wire: revision as a decimal string, proof hashes as hex. */
export const toEvidenceEvent = (
  event: HashedFields & { readonly hash: string },
  leafIndex: number,
  proof: readonly Buffer[],
): EvidenceEvent => ({
  kind: 'event',
  event: hashedFieldsOnTheWire(event),
  hash: event.hash,
  leafIndex,
  inclusionProof: encodeHashes(proof),
});

const MAX_REPORTED_PROBLEMS = 100;

/**
 * Verifies an evidence bundle line by line (memory does not grow with the number of events). Pass the log's verifier key
 * obtained out of band as `trustedVerifierKey`; without it the bundle's own key is used and the report says so.
 */
export interface WitnessPolicy {
  /** Cosigner keys (C2SP tlog-cosignature vkeys, type 0x04) of the witnesses the verifier trusts. */
  readonly witnesses?: readonly string[];
  /** How many of them must have cosigned the checkpoint; all of them when not given. */
  readonly minWitnesses?: number;
}

/**
 * E6: which trusted witnesses cosigned the checkpoint note, and a refusal unless at least `minWitnesses` did. A
 * cosignature line under a trusted witness's name and key ID that does not verify is itself a refusal.
 */
export const checkWitnessCosignatures = (
  note: string,
  policy: WitnessPolicy,
): { readonly witnesses: { name: string; cosignedAt: string }[]; readonly problems: string[] } => {
  const keys = policy.witnesses ?? [];
  const required = policy.minWitnesses ?? keys.length;
  const witnesses: { name: string; cosignedAt: string }[] = [];
  const problems: string[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const cosigner = parseCosignerKey(key);
    if (!cosigner.ok) {
      problems.push(`witness key ${key}: ${cosigner.reason}`);
      continue;
    }
    const time = cosignatureTime(note, cosigner.value);
    if (!time.ok) problems.push(time.reason);
    else if (time.value === null) missing.push(cosigner.value.name);
    else if (!witnesses.some((w) => w.name === cosigner.value.name))
      witnesses.push({ name: cosigner.value.name, cosignedAt: new Date(time.value * 1000).toISOString() });
  }
  if (!Number.isSafeInteger(required) || required < 0 || required > keys.length)
    problems.push(`cannot require ${required} of ${keys.length} witnesses`);
  else if (witnesses.length < required) {
    problems.push(
      `${witnesses.length} of the required ${required} witness cosignatures verify${missing.length > 0 ? `; none from ${missing.join(', ')}` : ''}`,
    );
  }
  return { witnesses, problems };
};

export const verifyEvidenceLines = async (
  lines: AsyncIterable<string> | Iterable<string>,
  options: { readonly trustedVerifierKey?: string; readonly expectedOrigin?: string } & WitnessPolicy = {},
): Promise<EvidenceReport> => {
  const problems: EvidenceProblem[] = [];
  const report = (problem: EvidenceProblem) => {
    if (problems.length < MAX_REPORTED_PROBLEMS) problems.push(problem);
  };
  let checkpoint: Checkpoint | undefined;
  let lineNo = 0;
  let events = 0;
  let verified = 0;
  let trailer: EvidenceTrailer | undefined;
  let signedAt: string | null = null;
  let witnesses: EvidenceReport['witnesses'] = [];
  const keyTrusted = options.trustedVerifierKey !== undefined;

  for await (const raw of lines) {
    if (raw.trim() === '') continue;
    lineNo += 1;
    let line: EvidenceLine;
    try {
      line = JSON.parse(raw) as EvidenceLine;
    } catch {
      report({ line: lineNo, reason: 'not JSON' });
      continue;
    }
    if (trailer) {
      report({ line: lineNo, reason: 'content after the end line' });
      continue;
    }
    if (lineNo === 1) {
      if (line.kind !== 'header' || line.format !== EVIDENCE_FORMAT) {
        report({ line: lineNo, reason: `first line must be an ${EVIDENCE_FORMAT} header` });
        break;
      }
      const opened = verifyCheckpointNote(line.checkpoint, options.trustedVerifierKey ?? line.verifierKey, options.expectedOrigin);
      if (!opened.ok) {
        report({ line: lineNo, reason: `checkpoint: ${opened.reason}` });
        break;
      }
      const time = verifyCheckpointTime(line.checkpoint, options.trustedVerifierKey ?? line.verifierKey);
      if (!time.ok) {
        report({ line: lineNo, reason: `checkpoint time: ${time.reason}` });
        break;
      }
      checkpoint = opened.value;
      signedAt = time.value;
      const witnessed = checkWitnessCosignatures(line.checkpoint, options);
      witnesses = witnessed.witnesses;
      for (const reason of witnessed.problems) report({ line: lineNo, reason: `witnesses: ${reason}` });
      continue;
    }
    if (line.kind === 'end') {
      trailer = line;
      continue;
    }
    if (line.kind !== 'event' || !checkpoint) {
      report({ line: lineNo, reason: 'unexpected line' });
      continue;
    }
    events += 1;
    const problem = checkEvidenceEvent(line, checkpoint);
    if (problem) report({ line: lineNo, eventId: line.event?.id, reason: problem });
    else verified += 1;
  }

  if (lineNo === 0) report({ line: 0, reason: 'empty bundle' });
  else if (checkpoint && !trailer) report({ line: lineNo, reason: 'bundle has no end line: it may be truncated' });
  else if (trailer && trailer.events !== events)
    report({ line: lineNo, reason: `end line counts ${trailer.events} events, bundle has ${events}` });

  return {
    ok: problems.length === 0,
    checkpoint: checkpoint && {
      origin: checkpoint.origin,
      size: checkpoint.size,
      rootHash: checkpoint.rootHash.toString('base64'),
      signedAt,
    },
    keyTrusted,
    witnesses,
    eventsVerified: verified,
    problems,
  };
};

const checkEvidenceEvent = (line: EvidenceEvent, checkpoint: Checkpoint): string | null => {
  const e = line.event;
  if (!e || typeof e.revision !== 'string' || !/^\d+$/.test(e.revision)) return 'event fields are malformed';
  let recomputed: string;
  try {
    recomputed = eventHash({ ...e, revision: BigInt(e.revision) });
  } catch {
    return 'event fields cannot be hashed';
  }
  if (recomputed !== line.hash) return 'event content does not match its stored hash';
  if (!Number.isSafeInteger(line.leafIndex) || !Array.isArray(line.inclusionProof)) return 'leaf index or proof is malformed';
  const hashes = decodeHashes(line.inclusionProof);
  if (!hashes) return 'proof hashes must be 64 lowercase hex digits each';
  const verdict = verifyInclusion(line.leafIndex, checkpoint.size, leafHashOfEventHash(line.hash), hashes, checkpoint.rootHash);
  return verdict.ok ? null : `inclusion: ${verdict.reason}`;
};

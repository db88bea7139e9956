/**
 * C2SP tlog-witness (https://c2sp.org/tlog-witness), both sides, pure (E6). The log submits each new checkpoint with a
 * consistency proof from the size the witness last cosigned; the witness checks the log's signature and the proof
 * against the latest checkpoint it holds for that origin, and only then cosigns (C2SP tlog-cosignature, Ed25519
 * `cosignature/v1`). It never cosigns two checkpoints of one origin that are not consistent with each other (a fork),
 * nor a smaller tree after a larger one (a rollback).
 *
 * Request body: "old <size>\n", up to 63 base64 proof hashes one per line, an empty line, then the signed checkpoint.
 */
import { Checkpoint, openCheckpoint, parseCheckpoint } from './checkpoint';
import { HASH_SIZE } from './merkle';
import { verifyConsistency } from './proof-verifier';
import { NoteResult, NoteVerifier, parseNote } from './signed-note';

export const MAX_PROOF_LINES = 63;
/** The media type of a 409's body: the witness's latest cosigned size. */
export const TLOG_SIZE_MEDIA_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  readonly oldSize: number;
  readonly proof: readonly Buffer[];
  /** The signed checkpoint note, with all its signatures. */
  readonly note: string;
}

export const formatAddCheckpoint = (request: AddCheckpointRequest): string =>
  `old ${request.oldSize}\n${request.proof.map((hash) => `${hash.toString('base64')}\n`).join('')}\n${request.note}`;

export const parseAddCheckpoint = (body: string): NoteResult<AddCheckpointRequest> => {
  const refuse = (reason: string): NoteResult<AddCheckpointRequest> => ({ ok: false, reason });
  const blank = body.indexOf('\n\n');
  if (blank < 0) return refuse('the body needs an old size line, proof lines, an empty line and a checkpoint');
  const [oldLine, ...proofLines] = body.slice(0, blank).split('\n');
  const old = /^old (0|[1-9][0-9]*)$/.exec(oldLine);
  if (!old || !Number.isSafeInteger(Number(old[1]))) return refuse('the first line must be "old <size>" in decimal without leading zeros');
  if (proofLines.length > MAX_PROOF_LINES) return refuse(`at most ${MAX_PROOF_LINES} proof lines`);
  const proof: Buffer[] = [];
  for (const line of proofLines) {
    const hash = Buffer.from(line, 'base64');
    if (hash.length !== HASH_SIZE || hash.toString('base64') !== line)
      return refuse('each proof line must be the base64 of a 32-byte hash');
    proof.push(hash);
  }
  return { ok: true, value: { oldSize: Number(old[1]), proof, note: body.slice(blank + 2) } };
};

/** What a witness holds per log: the latest checkpoint it cosigned. */
export interface WitnessedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
}

export type AddCheckpointOutcome =
  | { readonly status: 200; readonly checkpoint: Checkpoint; readonly text: string }
  | { readonly status: 400 | 403 | 404 | 422; readonly reason: string }
  | { readonly status: 409; readonly reason: string; readonly knownSize: number };

/**
 * The witness's decision on one add-checkpoint request, given the log keys it trusts per origin and the latest
 * checkpoint it cosigned for the request's origin (undefined if none). A 200 carries the checkpoint to cosign and store.
 */
export const decideAddCheckpoint = (
  request: AddCheckpointRequest,
  trustedLogs: ReadonlyMap<string, readonly NoteVerifier[]>,
  latest: WitnessedCheckpoint | undefined,
): AddCheckpointOutcome => {
  const parsed = parseNote(request.note);
  if (!parsed.ok) return { status: 400, reason: `checkpoint: ${parsed.reason}` };
  const origin = parsed.value.text.slice(0, parsed.value.text.indexOf('\n'));
  const verifiers = trustedLogs.get(origin);
  if (!verifiers || verifiers.length === 0) return { status: 404, reason: `unknown log origin ${JSON.stringify(origin)}` };
  let checkpoint: Checkpoint | undefined;
  let refusal = 'no signature from a trusted log key';
  for (const verifier of verifiers) {
    const opened = openCheckpoint(request.note, verifier, origin);
    if (opened.ok) {
      checkpoint = opened.value;
      break;
    }
    refusal = opened.reason;
  }
  if (!checkpoint) {
    // A well-signed body that is not a checkpoint is malformed; anything unsigned by a trusted key is forbidden.
    const body = parseCheckpoint(parsed.value.text);
    return body.ok ? { status: 403, reason: refusal } : { status: 400, reason: body.reason };
  }
  if (request.oldSize > checkpoint.size)
    return { status: 400, reason: `old size ${request.oldSize} is larger than the checkpoint size ${checkpoint.size}` };
  const knownSize = latest?.size ?? 0;
  if (request.oldSize !== knownSize) {
    return { status: 409, knownSize, reason: `the latest checkpoint cosigned for ${origin} has size ${knownSize}, not ${request.oldSize}` };
  }
  if (request.oldSize === 0) {
    if (request.proof.length > 0) return { status: 400, reason: 'the proof must be empty when the old size is 0' };
  } else if (latest && request.oldSize === checkpoint.size) {
    if (!latest.rootHash.equals(checkpoint.rootHash)) {
      return { status: 409, knownSize, reason: `a different root for size ${checkpoint.size} than the one cosigned: the log forked` };
    }
  } else if (latest) {
    const verdict = verifyConsistency(latest.size, checkpoint.size, latest.rootHash, checkpoint.rootHash, request.proof);
    if (!verdict.ok)
      return { status: 422, reason: `not consistent with the checkpoint of size ${latest.size} cosigned before: ${verdict.reason}` };
  }
  return { status: 200, checkpoint, text: parsed.value.text };
};

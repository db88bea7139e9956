/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text "<origin>\n<tree size>\n<base64 root>\n",
 * signed as a signed-note. A checkpoint commits the log to its first `size` events; any later checkpoint must be
 * provably consistent with it.
 */
import { HASH_SIZE } from './merkle';
import { isValidKeyName, NoteResult, NoteSigner, NoteVerifier, openNote, signNote } from './signed-note';

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
}

export const formatCheckpoint = (checkpoint: Checkpoint): string => {
  if (!isValidKeyName(checkpoint.origin)) throw new RangeError('origin must be non-empty with no spaces or plus signs');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) throw new RangeError('tree size must be a non-negative integer');
  if (checkpoint.rootHash.length !== HASH_SIZE) throw new RangeError('root hash must be 32 bytes');
  return `${checkpoint.origin}\n${checkpoint.size}\n${checkpoint.rootHash.toString('base64')}\n`;
};

/** Parses a checkpoint body. Extension lines are refused: nothing we sign has them, and monitors cannot audit them. */
export const parseCheckpoint = (text: string): NoteResult<Checkpoint> => {
  if (!text.endsWith('\n')) return { ok: false, reason: 'checkpoint must end with a newline' };
  const lines = text.slice(0, -1).split('\n');
  if (lines.length !== 3) return { ok: false, reason: 'checkpoint must have exactly origin, size and root lines' };
  const [origin, sizeText, rootText] = lines;
  if (origin.length === 0) return { ok: false, reason: 'checkpoint origin is empty' };
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) {
    return { ok: false, reason: 'checkpoint size must be a decimal with no leading zeros' };
  }
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== HASH_SIZE || rootHash.toString('base64') !== rootText) {
    return { ok: false, reason: 'checkpoint root must be the base64 of 32 bytes' };
  }
  return { ok: true, value: { origin, size: Number(sizeText), rootHash } };
};

export const signCheckpoint = (checkpoint: Checkpoint, signer: NoteSigner): string => signNote(formatCheckpoint(checkpoint), [signer]);

/**
 * Verifies a signed checkpoint and returns its contents. When `expectedOrigin` is given the body must name it, so a
 * checkpoint of another log signed by the same key is not mistaken for ours.
 */
export const openCheckpoint = (note: string, verifier: NoteVerifier, expectedOrigin?: string): NoteResult<Checkpoint> => {
  const opened = openNote(note, [verifier]);
  if (!opened.ok) return opened;
  const parsed = parseCheckpoint(opened.value.text);
  if (!parsed.ok) return parsed;
  if (expectedOrigin !== undefined && parsed.value.origin !== expectedOrigin) {
    return { ok: false, reason: `checkpoint origin ${parsed.value.origin} is not ${expectedOrigin}` };
  }
  return parsed;
};

/**
 * The time a checkpoint was signed, signed too: a C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519
 * type 0x04, made with the log's own key. A checkpoint body carries no time, and extension lines are discouraged, so
 * the time travels as a second signature line whose key ID (type byte 0x04) differs from the log's checkpoint key ID
 * (type 0x01): verifiers that only know the checkpoint key ignore it, as the signed-note spec requires.
 * Signed message: "cosignature/v1\ntime <POSIX seconds>\n" followed by the checkpoint text; signature blob: key ID ||
 * big-endian u64 timestamp || 64-byte Ed25519 signature.
 */
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { ed25519PublicKeyFromRaw, ed25519RawPublicKey, isValidKeyName, NoteResult, NoteSigner, NoteVerifier, parseNote } from './signed-note';

const COSIGNATURE_TYPE = 0x04;

export const cosignatureKeyId = (name: string, publicKey: Uint8Array): Buffer =>
  createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, COSIGNATURE_TYPE]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);

const cosignedMessage = (text: Buffer, timestamp: number): Buffer =>
  Buffer.concat([Buffer.from(`cosignature/v1\ntime ${timestamp}\n`, 'utf8'), text]);

/** Signs notes with a timestamped cosignature at `timestampSeconds` (POSIX seconds, from the caller's clock). */
export const ed25519TimestampSigner = (name: string, privateKey: KeyObject, timestampSeconds: number): NoteSigner => {
  if (!isValidKeyName(name)) throw new RangeError(`invalid note key name: ${JSON.stringify(name)}`);
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) throw new RangeError('timestamp must be non-negative whole seconds');
  const publicKey = ed25519RawPublicKey(createPublicKey(privateKey));
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigUInt64BE(BigInt(timestampSeconds));
  return {
    name,
    keyId: cosignatureKeyId(name, publicKey),
    sign: (text) => Buffer.concat([timestamp, sign(null, cosignedMessage(text, timestampSeconds), privateKey)]),
  };
};

/**
 * The signed time of a note, from the timestamped cosignature made with the same key as `verifier` (a checkpoint
 * verifier). `null` when the note carries no such cosignature; a refusal when one is present but does not verify.
 */
export const signedTimestamp = (note: string, verifier: NoteVerifier): NoteResult<number | null> => {
  if (!verifier.publicKey) return { ok: false, reason: 'the verifier has no public key to derive the cosignature key from' };
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const keyId = cosignatureKeyId(verifier.name, verifier.publicKey);
  const line = parsed.value.signatures.find((sig) => sig.name === verifier.name && sig.keyId.equals(keyId));
  if (!line) return { ok: true, value: null };
  if (line.signature.length !== 8 + 64) return { ok: false, reason: 'malformed timestamped cosignature' };
  const timestamp = line.signature.readBigUInt64BE(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'cosignature timestamp out of range' };
  const seconds = Number(timestamp);
  const message = cosignedMessage(Buffer.from(parsed.value.text, 'utf8'), seconds);
  const valid = verify(null, message, ed25519PublicKeyFromRaw(verifier.publicKey), line.signature.subarray(8));
  return valid ? { ok: true, value: seconds } : { ok: false, reason: 'timestamped cosignature does not verify' };
};

/**
 * The time a checkpoint was signed, signed too: a C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519
 * type 0x04, made with the log's own key. A checkpoint body carries no time, and extension lines are discouraged, so
 * the time travels as a second signature line whose key ID (type byte 0x04) differs from the log's checkpoint key ID
 * (type 0x01): verifiers that only know the checkpoint key ignore it, as the signed-note spec requires.
 * Signed message: "cosignature/v1\ntime <POSIX seconds>\n" followed by the checkpoint text; signature blob: key ID ||
 * big-endian u64 timestamp || 64-byte Ed25519 signature.
 */
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import {
  ed25519PublicKeyFromRaw,
  ed25519RawPublicKey,
  isValidKeyName,
  NoteResult,
  NoteSigner,
  NoteVerifier,
  parseNote,
} from './signed-note';

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

/** A cosigner as a verifier knows it: C2SP tlog-cosignature Ed25519, from its vkey "<name>+<hex key id>+<base64(0x04 || key)>". */
export interface Cosigner {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
}

export const cosignerOf = (name: string, publicKey: Uint8Array): Cosigner => ({
  name,
  keyId: cosignatureKeyId(name, publicKey),
  publicKey: Buffer.from(publicKey),
});

/** The vkey of a cosigner key, for configuring logs and verifiers that must trust it. */
export const formatCosignerKey = (name: string, publicKey: Uint8Array): string =>
  `${name}+${cosignatureKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([COSIGNATURE_TYPE]), publicKey]).toString('base64')}`;

export const cosignerKeyOf = (privateKey: KeyObject, name: string): string =>
  formatCosignerKey(name, ed25519RawPublicKey(createPublicKey(privateKey)));

export const parseCosignerKey = (vkey: string): NoteResult<Cosigner> => {
  const parts = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey);
  if (!parts || !isValidKeyName(parts[1]))
    return { ok: false, reason: 'cosigner key must be <name>+<8 hex key id>+<base64(0x04 || Ed25519 key)>' };
  const bytes = Buffer.from(parts[3], 'base64');
  if (bytes.length !== 33 || bytes[0] !== COSIGNATURE_TYPE || bytes.toString('base64') !== parts[3])
    return { ok: false, reason: 'cosigner key is not an Ed25519 cosignature/v1 key (type 0x04)' };
  const cosigner = cosignerOf(parts[1], bytes.subarray(1));
  if (cosigner.keyId.toString('hex') !== parts[2]) return { ok: false, reason: 'cosigner key id does not match its name and key' };
  try {
    ed25519PublicKeyFromRaw(cosigner.publicKey);
  } catch {
    return { ok: false, reason: 'cosigner key is not a valid Ed25519 point' };
  }
  return { ok: true, value: cosigner };
};

/**
 * The time `cosigner` cosigned a note, from its signature line. `null` when the note carries no line with its name and
 * key ID; a refusal when one is present but does not verify.
 */
export const cosignatureTime = (note: string, cosigner: Cosigner): NoteResult<number | null> => {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const line = parsed.value.signatures.find((sig) => sig.name === cosigner.name && sig.keyId.equals(cosigner.keyId));
  if (!line) return { ok: true, value: null };
  if (line.signature.length !== 8 + 64) return { ok: false, reason: `malformed cosignature by ${cosigner.name}` };
  const timestamp = line.signature.readBigUInt64BE(0);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: `cosignature timestamp by ${cosigner.name} out of range` };
  const seconds = Number(timestamp);
  const message = cosignedMessage(Buffer.from(parsed.value.text, 'utf8'), seconds);
  const valid = verify(null, message, ed25519PublicKeyFromRaw(cosigner.publicKey), line.signature.subarray(8));
  return valid ? { ok: true, value: seconds } : { ok: false, reason: `cosignature by ${cosigner.name} does not verify` };
};

/**
 * The signed time of a note, from the timestamped cosignature made with the same key as `verifier` (a checkpoint
 * verifier). `null` when the note carries no such cosignature; a refusal when one is present but does not verify.
 */
export const signedTimestamp = (note: string, verifier: NoteVerifier): NoteResult<number | null> => {
  if (!verifier.publicKey) return { ok: false, reason: 'the verifier has no public key to derive the cosignature key from' };
  const result = cosignatureTime(note, cosignerOf(verifier.name, verifier.publicKey));
  if (!result.ok)
    return {
      ok: false,
      reason: result.reason.startsWith('malformed')
        ? 'malformed timestamped cosignature'
        : result.reason.includes('range')
          ? 'cosignature timestamp out of range'
          : 'timestamped cosignature does not verify',
    };
  return result;
};

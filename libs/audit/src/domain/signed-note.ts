/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 keys (signature type 0x01). A note is text ending in a
 * newline, a blank line, then one line per signature: "— <key name> <base64(key ID || signature)>". The key ID is the
 * first four bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key). The same key is published as a verifier
 * key "<name>+<hex key ID>+<base64(0x01 || public key)>", the form Go's golang.org/x/mod/sumdb/note reads.
 */
import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

const ED25519_TYPE = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
// Verifiers must accept at least 16 signatures; beyond this a note is refused rather than processed at any size.
const MAX_SIGNATURES = 100;
const PKCS8_ED25519_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface NoteSigner {
  readonly name: string;
  readonly keyId: Buffer;
  sign(text: Buffer): Buffer;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  /** The raw 32-byte Ed25519 key, when the verifier was built from a verifier key. */
  readonly publicKey?: Buffer;
  verify(text: Buffer, signature: Buffer): boolean;
}

export type NoteResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): NoteResult<T> => ({ ok: true, value });
const refuse = <T>(reason: string): NoteResult<T> => ({ ok: false, reason });

const hasControl = (text: string, allowNewline: boolean) => {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && !(allowNewline && code === 0x0a)) return true;
  }
  return false;
};

const hasForbiddenControl = (text: string) => hasControl(text, true);

export const isValidKeyName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name) && !hasControl(name, false);

const canonicalBase64 = (text: string): Buffer | null => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
};

export const ed25519RawPublicKey = (key: KeyObject): Buffer => {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
};

export const ed25519PublicKeyFromRaw = (raw: Uint8Array): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' });

export const ed25519PrivateKeyFromSeed = (seed: Uint8Array): KeyObject => {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' });
};

export const noteKeyId = (name: string, publicKey: Uint8Array): Buffer =>
  createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, ED25519_TYPE]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);

export const ed25519NoteSigner = (name: string, privateKey: KeyObject): NoteSigner => {
  if (!isValidKeyName(name)) throw new RangeError(`invalid note key name: ${JSON.stringify(name)}`);
  if (privateKey.asymmetricKeyType !== 'ed25519' || privateKey.type !== 'private') throw new TypeError('need an Ed25519 private key');
  const publicKey = ed25519RawPublicKey(createPublicKey(privateKey));
  return { name, keyId: noteKeyId(name, publicKey), sign: (text) => sign(null, text, privateKey) };
};

/** The verifier key a third party needs to check our notes. */
export const formatVerifierKey = (name: string, publicKey: Uint8Array): string =>
  `${name}+${noteKeyId(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_TYPE]), publicKey]).toString('base64')}`;

export const verifierKeyOf = (privateKey: KeyObject, name: string): string =>
  formatVerifierKey(name, ed25519RawPublicKey(createPublicKey(privateKey)));

export const parseVerifierKey = (vkey: string): NoteResult<NoteVerifier> => {
  // The base64 part may itself contain '+', so split only on the first two.
  const first = vkey.indexOf('+');
  const second = first < 0 ? -1 : vkey.indexOf('+', first + 1);
  if (second < 0) return refuse('verifier key must be <name>+<hex key id>+<base64 key>');
  const name = vkey.slice(0, first);
  const idHex = vkey.slice(first + 1, second);
  const keyBytes = canonicalBase64(vkey.slice(second + 1));
  if (!isValidKeyName(name)) return refuse('verifier key has an invalid name');
  if (!/^[0-9a-f]{8}$/.test(idHex)) return refuse('verifier key id must be 8 lowercase hex digits');
  if (!keyBytes || keyBytes.length !== 33 || keyBytes[0] !== ED25519_TYPE) return refuse('verifier key is not an Ed25519 key');
  const raw = keyBytes.subarray(1);
  const keyId = noteKeyId(name, raw);
  if (keyId.toString('hex') !== idHex) return refuse('verifier key id does not match its name and key');
  let publicKey: KeyObject;
  try {
    publicKey = ed25519PublicKeyFromRaw(raw);
  } catch {
    return refuse('verifier key is not a valid Ed25519 point');
  }
  return ok({
    name,
    keyId,
    publicKey: Buffer.from(raw),
    verify: (text, signature) => signature.length === 64 && verify(null, text, publicKey, signature),
  });
};

/** Signs `text` (which must end in a newline) and returns the complete note. */
export const signNote = (text: string, signers: readonly NoteSigner[]): string => {
  if (!text.endsWith('\n')) throw new RangeError('note text must end with a newline');
  if (hasForbiddenControl(text)) throw new RangeError('note text must not contain control characters other than newline');
  if (signers.length === 0) throw new RangeError('a note needs at least one signer');
  const bytes = Buffer.from(text, 'utf8');
  const lines = signers.map(
    (signer) => `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([signer.keyId, signer.sign(bytes)]).toString('base64')}\n`,
  );
  return `${text}\n${lines.join('')}`;
};

export interface NoteSignature {
  readonly name: string;
  readonly keyId: Buffer;
  readonly signature: Buffer;
}

export interface ParsedNote {
  readonly text: string;
  readonly signatures: readonly NoteSignature[];
}

/** Splits a note into text and signatures without checking any signature. */
export const parseNote = (note: string): NoteResult<ParsedNote> => {
  if (hasForbiddenControl(note)) return refuse('note contains control characters');
  if (!note.endsWith('\n')) return refuse('note must end with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) return refuse('note has no signature block');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return refuse('note has too many signatures');
  const signatures: NoteSignature[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return refuse('malformed signature line');
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    if (space < 0) return refuse('malformed signature line');
    const name = rest.slice(0, space);
    const blob = canonicalBase64(rest.slice(space + 1));
    if (!isValidKeyName(name) || !blob || blob.length < 5) return refuse('malformed signature line');
    signatures.push({ name, keyId: blob.subarray(0, 4), signature: blob.subarray(4) });
  }
  return ok({ text, signatures });
};

/**
 * Opens a note: returns its text when at least one signature from a known key verifies. Signatures from unknown keys are
 * ignored; a signature from a known key that fails to verify rejects the whole note (the spec's SHOULD).
 */
export const openNote = (note: string, verifiers: readonly NoteVerifier[]): NoteResult<ParsedNote & { readonly verifiedBy: string[] }> => {
  const parsed = parseNote(note);
  if (!parsed.ok) return parsed;
  const bytes = Buffer.from(parsed.value.text, 'utf8');
  const verifiedBy: string[] = [];
  for (const sig of parsed.value.signatures) {
    const known = verifiers.find((v) => v.name === sig.name && v.keyId.equals(sig.keyId));
    if (!known) continue;
    if (!known.verify(bytes, sig.signature)) return refuse(`signature by ${sig.name} does not verify`);
    if (!verifiedBy.includes(sig.name)) verifiedBy.push(sig.name);
  }
  if (verifiedBy.length === 0) return refuse('no signature from a known key');
  return ok({ ...parsed.value, verifiedBy });
};

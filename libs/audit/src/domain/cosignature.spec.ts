import { generateKeyPairSync } from 'node:crypto';
import { formatCheckpoint, openCheckpoint } from './checkpoint';
import { cosignatureKeyId, cosignerKeyOf, ed25519TimestampSigner, parseCosignerKey, signedTimestamp } from './cosignature';
import { hashLeaf } from './merkle';
import { ed25519NoteSigner, ed25519RawPublicKey, NoteVerifier, parseNote, parseVerifierKey, signNote, verifierKeyOf } from './signed-note';
import { createPublicKey } from 'node:crypto';

const origin = 'marketplace.example/audit-log';
const key = generateKeyPairSync('ed25519').privateKey;
const verifier = (() => {
  const parsed = parseVerifierKey(verifierKeyOf(key, origin));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
})();
const body = formatCheckpoint({ origin, size: 42, rootHash: hashLeaf(Buffer.from('x')) });
const T = 1_763_856_000; // 2025-11-23T00:00:00Z

describe('signed checkpoint time: C2SP tlog-cosignature, Ed25519 (E2)', () => {
  const note = signNote(body, [ed25519NoteSigner(origin, key), ed25519TimestampSigner(origin, key, T)]);

  it('adds a second signature line: same name, key ID of type 0x04, blob = key ID || u64 time || signature', () => {
    const parsed = parseNote(note);
    if (!parsed.ok) throw new Error(parsed.reason);
    const [, cosig] = parsed.value.signatures;
    expect(cosig.name).toBe(origin);
    expect(cosig.keyId).toEqual(cosignatureKeyId(origin, ed25519RawPublicKey(createPublicKey(key))));
    expect(cosig.keyId.equals(verifier.keyId)).toBe(false);
    expect(cosig.signature).toHaveLength(72);
    expect(Number(cosig.signature.readBigUInt64BE(0))).toBe(T);
  });

  it('leaves the checkpoint verifiable by a verifier that knows only the checkpoint key', () => {
    expect(openCheckpoint(note, verifier, origin)).toMatchObject({ ok: true, value: { size: 42 } });
  });

  it('yields the signed time, and none for a checkpoint without a cosignature', () => {
    expect(signedTimestamp(note, verifier)).toEqual({ ok: true, value: T });
    expect(signedTimestamp(signNote(body, [ed25519NoteSigner(origin, key)]), verifier)).toEqual({ ok: true, value: null });
  });

  it('refuses a moved time, a changed body, or a cosignature by another key under our name and ID', () => {
    const parsed = parseNote(note);
    if (!parsed.ok) throw new Error(parsed.reason);
    const cosig = parsed.value.signatures[1];
    const moved = Buffer.from(cosig.signature);
    moved.writeBigUInt64BE(BigInt(T - 3600));
    const movedNote = note.replace(
      Buffer.concat([cosig.keyId, cosig.signature]).toString('base64'),
      Buffer.concat([cosig.keyId, moved]).toString('base64'),
    );
    expect(signedTimestamp(movedNote, verifier)).toMatchObject({ ok: false });
    expect(signedTimestamp(note.replace('\n42\n', '\n43\n'), verifier)).toMatchObject({ ok: false });
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = ed25519TimestampSigner(origin, other, T);
    const impostor = { ...forged, keyId: cosignatureKeyId(origin, ed25519RawPublicKey(createPublicKey(key))) };
    expect(signedTimestamp(signNote(body, [ed25519NoteSigner(origin, key), impostor]), verifier)).toMatchObject({ ok: false });
  });

  it('needs the public key to derive the cosignature key', () => {
    const bare: NoteVerifier = { name: verifier.name, keyId: verifier.keyId, verify: verifier.verify };
    expect(signedTimestamp(note, bare).ok).toBe(false);
  });
});

describe('cosigner keys (C2SP tlog-cosignature vkeys, type 0x04)', () => {
  it('round-trips a key and refuses a checkpoint verifier key or a wrong key id in its place', () => {
    const witnessKey = generateKeyPairSync('ed25519').privateKey;
    const vkey = cosignerKeyOf(witnessKey, 'witness.example/w1');
    const parsed = parseCosignerKey(vkey);
    expect(parsed).toMatchObject({ ok: true, value: { name: 'witness.example/w1' } });
    expect(parseCosignerKey(verifierKeyOf(witnessKey, 'witness.example/w1')).ok).toBe(false);
    expect(parseCosignerKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+')).ok).toBe(false);
  });
});

/**
 * Signed notes and checkpoints (E2). The interoperability vector is the PeterNeumann key and note from Go's
 * golang.org/x/mod/sumdb/note (note.go example and note_test.go): Ed25519 is deterministic, so signing the same text
 * with the same seed must give the published note byte for byte.
 */
import { generateKeyPairSync } from 'node:crypto';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint';
import { hashLeaf } from './merkle';
import {
  ed25519NoteSigner,
  ed25519PrivateKeyFromSeed,
  NoteVerifier,
  openNote,
  parseNote,
  parseVerifierKey,
  signNote,
  verifierKeyOf,
} from './signed-note';

const GO_SIGNER_SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const GO_VERIFIER_KEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const verifierOf = (vkey: string): NoteVerifier => {
  const parsed = parseVerifierKey(vkey);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.value;
};

const freshKey = () => generateKeyPairSync('ed25519').privateKey;

describe('C2SP signed-note with Ed25519 (E2)', () => {
  const goKey = ed25519PrivateKeyFromSeed(GO_SIGNER_SEED);

  it('derives the published verifier key and key ID from the Go test seed', () => {
    expect(verifierKeyOf(goKey, 'PeterNeumann')).toBe(GO_VERIFIER_KEY);
    expect(ed25519NoteSigner('PeterNeumann', goKey).keyId.toString('hex')).toBe('c74f20a3');
  });

  it('signs the Go example text into the published note, byte for byte', () => {
    expect(signNote(GO_TEXT, [ed25519NoteSigner('PeterNeumann', goKey)])).toBe(GO_NOTE);
  });

  it('opens the published note with the published verifier key', () => {
    const opened = openNote(GO_NOTE, [verifierOf(GO_VERIFIER_KEY)]);
    expect(opened).toMatchObject({ ok: true, value: { text: GO_TEXT, verifiedBy: ['PeterNeumann'] } });
  });

  it('rejects a note whose text was changed by one character', () => {
    const tampered = GO_NOTE.replace('problem,', 'problem;');
    expect(openNote(tampered, [verifierOf(GO_VERIFIER_KEY)])).toMatchObject({
      ok: false,
      reason: 'signature by PeterNeumann does not verify',
    });
  });

  it('rejects a note with a flipped bit in any signature byte', () => {
    const blob = Buffer.from(GO_NOTE.split(' ').pop()!.trim(), 'base64');
    for (let i = 4; i < blob.length; i += 1) {
      const bad = Buffer.from(blob);
      bad[i] ^= 0x01;
      const note = `${GO_TEXT}\n\u2014 PeterNeumann ${bad.toString('base64')}\n`;
      expect(openNote(note, [verifierOf(GO_VERIFIER_KEY)]).ok).toBe(false);
    }
  });

  it('ignores signatures from unknown keys, but needs one from a known key', () => {
    const other = ed25519NoteSigner('example.com/other', freshKey());
    const both = signNote(GO_TEXT, [other, ed25519NoteSigner('PeterNeumann', goKey)]);
    expect(openNote(both, [verifierOf(GO_VERIFIER_KEY)])).toMatchObject({ ok: true, value: { verifiedBy: ['PeterNeumann'] } });
    const onlyOther = signNote(GO_TEXT, [other]);
    expect(openNote(onlyOther, [verifierOf(GO_VERIFIER_KEY)])).toMatchObject({ ok: false, reason: 'no signature from a known key' });
  });

  it('does not accept a key that shares only the name with the signer', () => {
    const impostor = verifierKeyOf(freshKey(), 'PeterNeumann');
    expect(openNote(GO_NOTE, [verifierOf(impostor)]).ok).toBe(false);
  });

  it('refuses malformed notes and verifier keys', () => {
    expect(parseNote(GO_TEXT).ok).toBe(false);
    expect(parseNote(GO_NOTE.replace('\u2014', '--')).ok).toBe(false);
    expect(parseNote(GO_NOTE.slice(0, -1)).ok).toBe(false);
    expect(parseNote(`${GO_TEXT}\n\u2014 PeterNeumann AAAA\n`).ok).toBe(false);
    expect(parseNote(GO_NOTE.replace('problem,', 'problem,\t')).ok).toBe(false);
    expect(parseVerifierKey(GO_VERIFIER_KEY.replace('c74f20a3', 'c74f20a4')).ok).toBe(false);
    expect(parseVerifierKey(GO_VERIFIER_KEY.replace('+ARpc', '+AhpC')).ok).toBe(false);
    expect(parseVerifierKey('PeterNeumann+c74f20a3').ok).toBe(false);
    expect(() => signNote('no newline', [ed25519NoteSigner('PeterNeumann', goKey)])).toThrow(RangeError);
    expect(() => ed25519NoteSigner('has space', goKey)).toThrow(RangeError);
  });

  it('keeps a verifier key whose base64 contains a plus sign intact', () => {
    for (let i = 0; i < 20; i += 1) {
      const key = freshKey();
      const vkey = verifierKeyOf(key, 'example.com/log');
      const note = signNote('hello\n', [ed25519NoteSigner('example.com/log', key)]);
      expect(openNote(note, [verifierOf(vkey)]).ok).toBe(true);
    }
  });
});

describe('C2SP tlog-checkpoint (E2)', () => {
  const key = freshKey();
  const origin = 'marketplace.example/audit-log';
  const signer = ed25519NoteSigner(origin, key);
  const verifier = verifierOf(verifierKeyOf(key, origin));
  const checkpoint = { origin, size: 20852163, rootHash: hashLeaf(Buffer.from('root')) };

  it('formats origin, decimal size and base64 root, each newline-terminated', () => {
    expect(formatCheckpoint(checkpoint)).toBe(`${origin}\n20852163\n${checkpoint.rootHash.toString('base64')}\n`);
  });

  it('round-trips through sign, open and parse', () => {
    const note = signCheckpoint(checkpoint, signer);
    expect(note.startsWith(formatCheckpoint(checkpoint) + '\n\u2014 ' + origin + ' ')).toBe(true);
    const opened = openCheckpoint(note, verifier, origin);
    expect(opened).toEqual({ ok: true, value: checkpoint });
  });

  it('rejects a checkpoint whose size or root was altered after signing', () => {
    const note = signCheckpoint(checkpoint, signer);
    expect(openCheckpoint(note.replace('20852163', '20852164'), verifier).ok).toBe(false);
    const otherRoot = hashLeaf(Buffer.from('other')).toString('base64');
    expect(openCheckpoint(note.replace(checkpoint.rootHash.toString('base64'), otherRoot), verifier).ok).toBe(false);
  });

  it('rejects a checkpoint of another origin signed by the same key', () => {
    const sameKeyOtherLog = ed25519NoteSigner(origin, key);
    const note = signNote(formatCheckpoint({ ...checkpoint, origin: 'other.example/log' }), [sameKeyOtherLog]);
    expect(openCheckpoint(note, verifier, origin)).toMatchObject({ ok: false });
  });

  it('parses strictly: no leading zeros, 32-byte canonical base64 root, no extension lines', () => {
    const root = checkpoint.rootHash.toString('base64');
    expect(parseCheckpoint(`${origin}\n0\n${root}\n`).ok).toBe(true);
    expect(parseCheckpoint(`${origin}\n007\n${root}\n`).ok).toBe(false);
    expect(parseCheckpoint(`${origin}\n-1\n${root}\n`).ok).toBe(false);
    expect(parseCheckpoint(`${origin}\n7\n${root.slice(0, -4)}\n`).ok).toBe(false);
    expect(parseCheckpoint(`${origin}\n7\n${root}\nextension\n`).ok).toBe(false);
    expect(parseCheckpoint(`${origin}\n7\n${root}`).ok).toBe(false);
    expect(parseCheckpoint(`\n7\n${root}\n`).ok).toBe(false);
  });
});

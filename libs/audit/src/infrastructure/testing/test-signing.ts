/** Test helper: a fresh signing key and its verifier for an audit test log. */
import { generateKeyPairSync } from 'node:crypto';
import { NoteVerifier, parseVerifierKey } from '../../domain/signed-note';
import { AuditSigning, loadAuditSigning } from '../signing-key';

/** A fresh Ed25519 signing key for a test log, with the verifier for its published key. */
export const testSigning = (
  origin = 'test.example/audit',
): { readonly origin: string; readonly signing: AuditSigning; readonly verifier: NoteVerifier } => {
  const key = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const signing = loadAuditSigning({ AUDIT_LOG_ORIGIN: origin, AUDIT_SIGNING_KEY: key }, '/nonexistent');
  const parsed = parseVerifierKey(signing.verifierKey);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { origin, signing, verifier: parsed.value };
};

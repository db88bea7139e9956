/**
 * The log's Ed25519 signing key and origin, from configuration: AUDIT_SIGNING_KEY holds the base64 of a PKCS#8 DER
 * private key or of a 32-byte seed; AUDIT_LOG_ORIGIN names the log. Without a key (development), one is generated once
 * into the data folder so checkpoints stay verifiable across restarts.
 */
import { createPrivateKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ed25519TimestampSigner } from '../domain/cosignature';
import { ed25519NoteSigner, ed25519PrivateKeyFromSeed, isValidKeyName, NoteSigner, verifierKeyOf } from '../domain/signed-note';

export const DEFAULT_LOG_ORIGIN = 'marketplace.local/audit-log';
const DEV_KEY_FILE = 'audit-signing-key';

export interface AuditSigning {
  readonly origin: string;
  readonly signer: NoteSigner;
  /** A timestamped cosignature by the same key (C2SP tlog-cosignature), which signs when the checkpoint was made. */
  timestampSigner(atSeconds: number): NoteSigner;
  /** "<name>+<hex key id>+<base64 key>": publish it so anyone can check our checkpoints. */
  readonly verifierKey: string;
  /** Where the key came from, for the start-up log (never the key itself). */
  readonly source: 'configured' | 'development-file';
}

export const parsePrivateKey = (text: string): KeyObject => {
  const bytes = Buffer.from(text.trim(), 'base64');
  if (bytes.length === 32) return ed25519PrivateKeyFromSeed(bytes);
  const key = createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('AUDIT_SIGNING_KEY: expected an Ed25519 key');
  return key;
};

export const loadAuditSigning = (env: Readonly<Record<string, string | undefined>>, dataDir: string): AuditSigning => {
  const origin = env.AUDIT_LOG_ORIGIN || DEFAULT_LOG_ORIGIN;
  if (!isValidKeyName(origin)) throw new Error(`AUDIT_LOG_ORIGIN=${JSON.stringify(origin)}: expected a name without spaces or plus signs`);
  let key: KeyObject;
  let source: AuditSigning['source'];
  if (env.AUDIT_SIGNING_KEY) {
    try {
      key = parsePrivateKey(env.AUDIT_SIGNING_KEY);
    } catch {
      throw new Error('AUDIT_SIGNING_KEY: expected the base64 of a PKCS#8 Ed25519 private key or of a 32-byte seed');
    }
    source = 'configured';
  } else {
    const path = resolve(dataDir, DEV_KEY_FILE);
    if (!existsSync(path)) {
      mkdirSync(dataDir, { recursive: true, mode: 0o755 });
      // Written aside and linked into place, so a process starting at the same moment never reads a half-written key.
      const aside = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(aside, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      try {
        linkSync(aside, path);
      } catch (error) {
        // Another process created it first; use theirs.
        if ((error as { code?: string }).code !== 'EEXIST') throw error;
      } finally {
        unlinkSync(aside);
      }
    }
    key = parsePrivateKey(readFileSync(path, 'utf8'));
    source = 'development-file';
  }
  return {
    origin,
    signer: ed25519NoteSigner(origin, key),
    timestampSigner: (atSeconds) => ed25519TimestampSigner(origin, key, atSeconds),
    verifierKey: verifierKeyOf(key, origin),
    source,
  };
};

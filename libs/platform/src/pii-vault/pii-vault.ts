/**
 * The personal-data vault (E3): plain personal data never enters the event log. Each person's data (their advisory
 * account's real-name data, their registration's email, name and date of birth) is encrypted with AES-256-GCM under a
 * data key of their own; that key is stored only wrapped (AES-256-GCM) by the master key from configuration.
 * Destroying a person's wrapped key (crypto-shredding) makes all their records unreadable while every event hash in
 * the log still verifies.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Queryable } from '@app/event-store';

export interface SealedBox {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
}

/** Where wrapped keys and sealed records live. Records without a key are unreadable by design. */
export abstract class PiiVaultStore {
  abstract findKey(subjectId: string): Promise<SealedBox | null>;
  /** Stores the key unless one exists; returns the key that is stored afterwards. */
  abstract putKeyIfAbsent(subjectId: string, wrapped: SealedBox): Promise<SealedBox>;
  abstract deleteKey(subjectId: string): Promise<boolean>;
  /** `within`: the caller's transaction, so that the record exists exactly when the event that references it does. */
  abstract putRecord(ref: string, subjectId: string, sealed: SealedBox, within?: Queryable): Promise<void>;
  abstract findRecord(ref: string): Promise<{ subjectId: string; sealed: SealedBox } | null>;
  /** Records and their subjects' wrapped keys (null once shredded), for many references in one read. */
  abstract findRecordsWithKeys(refs: readonly string[]): Promise<Map<string, { subjectId: string; sealed: SealedBox; key: SealedBox | null }>>;
}

export interface InvestorPii {
  readonly legalName: string;
  readonly nationalId: string;
  readonly mobile: string;
}

export type VaultRead<T = InvestorPii> = { readonly status: 'available'; readonly pii: T } | { readonly status: 'shredded' | 'missing' };

const seal = (key: Buffer, plain: Buffer, aad: string): SealedBox => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
};

const open = (key: Buffer, box: SealedBox, aad: string): Buffer => {
  const decipher = createDecipheriv('aes-256-gcm', key, box.iv);
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(box.tag);
  return Buffer.concat([decipher.update(box.ciphertext), decipher.final()]);
};

/** The reference an event carries for a vault record: it names the subject, whose key decides whether it can be read. */
export const piiRefOf = (subjectId: string, recordId: string): string => `pii:${subjectId}:${recordId}`;

/** Parses a base64 master key; AES-256 needs exactly 32 bytes. */
export const parseMasterKey = (base64: string): Buffer => {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('PII_MASTER_KEY: expected 32 bytes, base64-encoded');
  return key;
};

export class PiiVault {
  constructor(
    private readonly store: PiiVaultStore,
    private readonly masterKey: Buffer,
  ) {
    if (masterKey.length !== 32) throw new Error('PII vault master key must be 32 bytes');
  }

  private async dataKey(subjectId: string, create: boolean): Promise<Buffer | null> {
    const aad = `pii-key:${subjectId}`;
    let wrapped = await this.store.findKey(subjectId);
    if (!wrapped && create) wrapped = await this.store.putKeyIfAbsent(subjectId, seal(this.masterKey, randomBytes(32), aad));
    return wrapped ? open(this.masterKey, wrapped, aad) : null;
  }

  /** Seals the subject's personal data under their key (created on first use); returns the reference for events. */
  async put<T = InvestorPii>(subjectId: string, recordId: string, pii: T, within?: Queryable): Promise<string> {
    const key = (await this.dataKey(subjectId, true))!;
    const ref = piiRefOf(subjectId, recordId);
    await this.store.putRecord(ref, subjectId, seal(key, Buffer.from(JSON.stringify(pii), 'utf8'), ref), within);
    return ref;
  }

  async read<T = InvestorPii>(ref: string): Promise<VaultRead<T>> {
    const record = await this.store.findRecord(ref);
    if (!record) return { status: 'missing' };
    const key = await this.dataKey(record.subjectId, false);
    if (!key) return { status: 'shredded' };
    return { status: 'available', pii: JSON.parse(open(key, record.sealed, ref).toString('utf8')) as T };
  }

  /** Many records in one read of the store (a projection's batch). */
  async readMany<T>(refs: readonly string[]): Promise<Map<string, VaultRead<T>>> {
    const found = refs.length === 0 ? new Map() : await this.store.findRecordsWithKeys(refs);
    const keys = new Map<string, Buffer>();
    const reads = new Map<string, VaultRead<T>>();
    for (const ref of refs) {
      const record = found.get(ref);
      if (!record) reads.set(ref, { status: 'missing' });
      else if (!record.key) reads.set(ref, { status: 'shredded' });
      else {
        let key = keys.get(record.subjectId);
        if (!key) keys.set(record.subjectId, (key = open(this.masterKey, record.key, `pii-key:${record.subjectId}`)));
        reads.set(ref, { status: 'available', pii: JSON.parse(open(key, record.sealed, ref).toString('utf8')) as T });
      }
    }
    return reads;
  }

  /** Crypto-shredding: after this no record of the subject can be decrypted. Returns false if already shredded. */
  shred(subjectId: string): Promise<boolean> {
    return this.store.deleteKey(subjectId);
  }
}

/** A store in memory, for tests and for the pure parts of the application that need a vault. */
export class InMemoryPiiVaultStore extends PiiVaultStore {
  readonly keys = new Map<string, SealedBox>();
  readonly records = new Map<string, { subjectId: string; sealed: SealedBox }>();
  async findKey(subjectId: string) {
    return this.keys.get(subjectId) ?? null;
  }
  async putKeyIfAbsent(subjectId: string, wrapped: SealedBox) {
    if (!this.keys.has(subjectId)) this.keys.set(subjectId, wrapped);
    return this.keys.get(subjectId)!;
  }
  async deleteKey(subjectId: string) {
    return this.keys.delete(subjectId);
  }
  async putRecord(ref: string, subjectId: string, sealed: SealedBox) {
    this.records.set(ref, { subjectId, sealed });
  }
  async findRecord(ref: string) {
    return this.records.get(ref) ?? null;
  }
  async findRecordsWithKeys(refs: readonly string[]) {
    const found = new Map<string, { subjectId: string; sealed: SealedBox; key: SealedBox | null }>();
    for (const ref of refs) {
      const record = this.records.get(ref);
      if (record) found.set(ref, { ...record, key: this.keys.get(record.subjectId) ?? null });
    }
    return found;
  }
}

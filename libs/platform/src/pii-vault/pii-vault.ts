/**
 * The personal-data vault (E3): plain personal data never enters the event log. Each person's data (their advisory
 * account's real-name data, their registration's email, name and date of birth) is encrypted with AES-256-GCM under a
 * data key of their own; that key is stored only wrapped (AES-256-GCM) by the master key from configuration.
 * Destroying a person's wrapped key (crypto-shredding) makes all their records unreadable while every event hash in
 * the log still verifies.
 *
 * Master keys rotate: each wrapped key records the id of the master key that wrapped it; new keys are wrapped under the
 * current master key, and older master keys stay configured for reading what they wrapped. Keys wrapped before ids
 * were recorded carry none and are opened by whichever configured master key authenticates them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Queryable } from '@app/event-store';
import { SideWrite, sideWrite } from '../side-write';

export interface SealedBox {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly ciphertext: Buffer;
  /** For a wrapped data key: the id of the master key that wrapped it (absent on keys wrapped before ids existed). */
  readonly keyId?: string;
}

/** The configured master keys by id, and the one new data keys are wrapped under. */
export interface MasterKeyRing {
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** The id of a master key given alone (PII_MASTER_KEY, or the generated development key). */
export const DEFAULT_MASTER_KEY_ID = 'default';

/** Where wrapped keys and sealed records live. Records without a key are unreadable by design. */
export abstract class PiiVaultStore {
  abstract findKey(subjectId: string): Promise<SealedBox | null>;
  /** Stores the key unless one exists; returns the key that is stored afterwards. */
  abstract putKeyIfAbsent(subjectId: string, wrapped: SealedBox): Promise<SealedBox>;
  /** `within`: the caller's transaction, so that the key goes exactly when the event recording the shredding is stored. */
  abstract deleteKey(subjectId: string, within?: Queryable): Promise<boolean>;
  /** Up to `limit` wrapped keys whose master key id is not `keyId` (or unknown). */
  abstract keysNotWrappedBy(keyId: string, limit: number): Promise<{ subjectId: string; wrapped: SealedBox }[]>;
  /** Replaces a wrapped key only if it is still `current` (a key shredded or re-wrapped meanwhile stays as it is). */
  abstract replaceKey(subjectId: string, current: SealedBox, next: SealedBox): Promise<boolean>;
  /** `within`: the caller's transaction, so that the record exists exactly when the event that references it does. */
  abstract putRecord(ref: string, subjectId: string, sealed: SealedBox, within?: Queryable): Promise<void>;
  abstract findRecord(ref: string): Promise<{ subjectId: string; sealed: SealedBox } | null>;
  /** Records and their subjects' wrapped keys (null once shredded), for many references in one read. */
  abstract findRecordsWithKeys(
    refs: readonly string[],
  ): Promise<Map<string, { subjectId: string; sealed: SealedBox; key: SealedBox | null }>>;
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

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The master keys from configuration: PII_MASTER_KEYS, a comma-separated list of `id:base64` (the first, or the one
 * PII_MASTER_KEY_ID names, wraps new data keys; the others are kept to open what they wrapped), or a single
 * PII_MASTER_KEY (id `default`), or else the `fallback` (the generated development key). Problems are pushed, one line
 * each.
 */
export const parseMasterKeys = (
  env: Readonly<Record<string, string | undefined>>,
  fallback: () => string,
  problems: string[],
): MasterKeyRing => {
  const keys = new Map<string, Buffer>();
  if (env.PII_MASTER_KEYS && env.PII_MASTER_KEY)
    problems.push('PII_MASTER_KEY and PII_MASTER_KEYS: set one (PII_MASTER_KEYS may list the old key under the id "default")');
  if (env.PII_MASTER_KEYS) {
    for (const entry of env.PII_MASTER_KEYS.split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, Math.max(separator, 0));
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (separator < 1 || !KEY_ID.test(id))
        problems.push(`PII_MASTER_KEYS: expected "id:base64" entries with ids of letters, digits, ".", "_" or "-"`);
      else if (keys.has(id)) problems.push(`PII_MASTER_KEYS: the id ${JSON.stringify(id)} appears twice`);
      else if (key.length !== 32) problems.push(`PII_MASTER_KEYS: key ${JSON.stringify(id)} must be 32 bytes, base64-encoded`);
      else keys.set(id, key);
    }
  } else {
    const key = Buffer.from(env.PII_MASTER_KEY || fallback(), 'base64');
    if (key.length !== 32) problems.push('PII_MASTER_KEY: expected 32 bytes, base64-encoded');
    else keys.set(DEFAULT_MASTER_KEY_ID, key);
  }
  const currentId = env.PII_MASTER_KEY_ID || [...keys.keys()][0] || DEFAULT_MASTER_KEY_ID;
  if (keys.size > 0 && !keys.has(currentId)) problems.push(`PII_MASTER_KEY_ID=${JSON.stringify(currentId)}: no such id in PII_MASTER_KEYS`);
  return { currentId, keys };
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
  private readonly ring: MasterKeyRing;

  constructor(
    private readonly store: PiiVaultStore,
    masterKeys: MasterKeyRing | Buffer,
  ) {
    this.ring = Buffer.isBuffer(masterKeys)
      ? { currentId: DEFAULT_MASTER_KEY_ID, keys: new Map([[DEFAULT_MASTER_KEY_ID, masterKeys]]) }
      : masterKeys;
    if (![...this.ring.keys.values()].every((key) => key.length === 32)) throw new Error('PII vault master keys must be 32 bytes');
    if (!this.ring.keys.has(this.ring.currentId))
      throw new Error(`PII vault: no master key with the current id ${JSON.stringify(this.ring.currentId)}`);
  }

  private wrap(dataKey: Buffer, aad: string): SealedBox {
    return { ...seal(this.ring.keys.get(this.ring.currentId)!, dataKey, aad), keyId: this.ring.currentId };
  }

  private unwrap(wrapped: SealedBox, aad: string): Buffer {
    if (wrapped.keyId !== undefined) {
      const master = this.ring.keys.get(wrapped.keyId);
      if (!master) throw new Error(`PII vault: master key ${JSON.stringify(wrapped.keyId)} is not configured (PII_MASTER_KEYS)`);
      return open(master, wrapped, aad);
    }
    for (const master of this.ring.keys.values()) {
      try {
        return open(master, wrapped, aad);
      } catch {
        // Not this master key: GCM authentication tells them apart.
      }
    }
    throw new Error('PII vault: no configured master key opens this data key');
  }

  private async dataKey(subjectId: string, create: boolean): Promise<Buffer | null> {
    const aad = `pii-key:${subjectId}`;
    let wrapped = await this.store.findKey(subjectId);
    if (!wrapped && create) wrapped = await this.store.putKeyIfAbsent(subjectId, this.wrap(randomBytes(32), aad));
    return wrapped ? this.unwrap(wrapped, aad) : null;
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
        if (!key) keys.set(record.subjectId, (key = this.unwrap(record.key, `pii-key:${record.subjectId}`)));
        reads.set(ref, { status: 'available', pii: JSON.parse(open(key, record.sealed, ref).toString('utf8')) as T });
      }
    }
    return reads;
  }

  /**
   * Re-wraps every data key under the current master key (the data keys and records stay as they are), so that older
   * master keys can be removed from the configuration afterwards. Returns how many keys were re-wrapped.
   */
  async rewrapAll(batchSize = 500): Promise<number> {
    let rewrapped = 0;
    for (;;) {
      const batch = await this.store.keysNotWrappedBy(this.ring.currentId, batchSize);
      if (batch.length === 0) return rewrapped;
      for (const { subjectId, wrapped } of batch) {
        const aad = `pii-key:${subjectId}`;
        if (await this.store.replaceKey(subjectId, wrapped, this.wrap(this.unwrap(wrapped, aad), aad))) rewrapped++;
      }
    }
  }

  /** Crypto-shredding: after this no record of the subject can be decrypted. Returns false if already shredded. */
  shred(subjectId: string): Promise<boolean> {
    return this.store.deleteKey(subjectId);
  }

  /** `put` as a write beside a decision: the sealed record is stored by the transaction that appends the event referencing it. */
  putAlong<T = InvestorPii>(subjectId: string, recordId: string, pii: T): SideWrite {
    return sideWrite('pii-vault.record', async (tx) => {
      await this.put(subjectId, recordId, pii, tx);
    });
  }

  /** `shred` as a write beside a decision: the key is destroyed by the transaction that records the shredding. */
  shredAlong(subjectId: string): SideWrite {
    return sideWrite('pii-vault.shred', async (tx) => {
      await this.store.deleteKey(subjectId, tx);
    });
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
  async keysNotWrappedBy(keyId: string, limit: number) {
    return [...this.keys.entries()]
      .filter(([, wrapped]) => wrapped.keyId !== keyId)
      .slice(0, limit)
      .map(([subjectId, wrapped]) => ({ subjectId, wrapped }));
  }
  async replaceKey(subjectId: string, current: SealedBox, next: SealedBox) {
    if (this.keys.get(subjectId)?.ciphertext.equals(current.ciphertext) !== true) return false;
    this.keys.set(subjectId, next);
    return true;
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

/**
 * The vault's PostgreSQL tables (created by migration 1764000400000-advisory, whose context used the vault first, hence
 * their names; 1765000100000-pii-key-ids adds the master key id of each wrapped key): wrapped keys and sealed records.
 */
import { DataSource } from 'typeorm';
import type { Queryable } from '@app/event-store';
import { onPrimary } from '../read-replica';
import { PiiVaultStore, SealedBox } from './pii-vault';

interface KeyRow {
  key_id: string | null;
  iv: Buffer;
  tag: Buffer;
  wrapped_key: Buffer;
}

interface RecordRow {
  subject_id: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

export class PgPiiVaultStore extends PiiVaultStore {
  constructor(private readonly db: DataSource) {
    super();
  }

  /** Always on the primary, even for a read served by a replica: a shredded key must be gone for every reader at once. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private query(sql: string, values: unknown[]): Promise<any> {
    return onPrimary(() => this.db.query(sql, values));
  }

  async findKey(subjectId: string): Promise<SealedBox | null> {
    const rows: KeyRow[] = await this.query('SELECT key_id, iv, tag, wrapped_key FROM advisory_pii_keys WHERE subject_id = $1', [
      subjectId,
    ]);
    const row = rows[0];
    return row ? { iv: row.iv, tag: row.tag, ciphertext: row.wrapped_key, ...(row.key_id === null ? {} : { keyId: row.key_id }) } : null;
  }

  async putKeyIfAbsent(subjectId: string, wrapped: SealedBox): Promise<SealedBox> {
    await this.query(
      'INSERT INTO advisory_pii_keys (subject_id, iv, tag, wrapped_key, key_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_id) DO NOTHING',
      [subjectId, wrapped.iv, wrapped.tag, wrapped.ciphertext, wrapped.keyId ?? null],
    );
    return (await this.findKey(subjectId))!;
  }

  async deleteKey(subjectId: string, within?: Queryable): Promise<boolean> {
    const sql = 'DELETE FROM advisory_pii_keys WHERE subject_id = $1';
    if (within) return ((await within.query(sql, [subjectId])).rowCount ?? 0) > 0;
    const [, affected]: [unknown, number] = await this.query(sql, [subjectId]);
    return affected > 0;
  }

  async keysNotWrappedBy(keyId: string, limit: number): Promise<{ subjectId: string; wrapped: SealedBox }[]> {
    const rows: (KeyRow & { subject_id: string })[] = await this.query(
      'SELECT subject_id, key_id, iv, tag, wrapped_key FROM advisory_pii_keys WHERE key_id IS DISTINCT FROM $1 ORDER BY subject_id LIMIT $2',
      [keyId, limit],
    );
    return rows.map((row) => ({
      subjectId: row.subject_id,
      wrapped: { iv: row.iv, tag: row.tag, ciphertext: row.wrapped_key, ...(row.key_id === null ? {} : { keyId: row.key_id }) },
    }));
  }

  async replaceKey(subjectId: string, current: SealedBox, next: SealedBox): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.query(
      'UPDATE advisory_pii_keys SET iv = $3, tag = $4, wrapped_key = $5, key_id = $6 WHERE subject_id = $1 AND wrapped_key = $2',
      [subjectId, current.ciphertext, next.iv, next.tag, next.ciphertext, next.keyId ?? null],
    );
    return affected > 0;
  }

  async putRecord(ref: string, subjectId: string, sealed: SealedBox, within?: Queryable): Promise<void> {
    const sql =
      'INSERT INTO advisory_pii_records (ref, subject_id, iv, tag, ciphertext) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ref) DO NOTHING';
    const values = [ref, subjectId, sealed.iv, sealed.tag, sealed.ciphertext];
    await (within ? within.query(sql, values) : this.query(sql, values));
  }

  async findRecordsWithKeys(
    refs: readonly string[],
  ): Promise<Map<string, { subjectId: string; sealed: SealedBox; key: SealedBox | null }>> {
    const rows: (RecordRow & {
      ref: string;
      key_iv: Buffer | null;
      key_tag: Buffer | null;
      wrapped_key: Buffer | null;
      key_id: string | null;
    })[] = await this.query(
      `SELECT r.ref, r.subject_id, r.iv, r.tag, r.ciphertext, k.iv AS key_iv, k.tag AS key_tag, k.wrapped_key, k.key_id
         FROM advisory_pii_records r LEFT JOIN advisory_pii_keys k ON k.subject_id = r.subject_id
        WHERE r.ref = ANY($1::text[])`,
      [refs],
    );
    return new Map(
      rows.map((row) => [
        row.ref,
        {
          subjectId: row.subject_id,
          sealed: { iv: row.iv, tag: row.tag, ciphertext: row.ciphertext },
          key:
            row.wrapped_key && row.key_iv && row.key_tag
              ? { iv: row.key_iv, tag: row.key_tag, ciphertext: row.wrapped_key, ...(row.key_id === null ? {} : { keyId: row.key_id }) }
              : null,
        },
      ]),
    );
  }

  async findRecord(ref: string): Promise<{ subjectId: string; sealed: SealedBox } | null> {
    const rows: RecordRow[] = await this.query('SELECT subject_id, iv, tag, ciphertext FROM advisory_pii_records WHERE ref = $1', [ref]);
    return rows[0] ? { subjectId: rows[0].subject_id, sealed: { iv: rows[0].iv, tag: rows[0].tag, ciphertext: rows[0].ciphertext } } : null;
  }
}

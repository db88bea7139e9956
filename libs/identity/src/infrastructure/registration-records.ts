/** Idempotency records of self-registrations: written with the registration, read by a retry with the same key. */
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LogDatabase } from '@app/event-store';
import { SideWrite, sideWrite } from '@app/platform';

/** Registration records share the money routes' table, under an owner no user id can be. */
const REGISTRATION_OWNER = 'registration';

/** The key already has a record: the registration's writes are undone and the record answers. */
export class RegistrationKeyRecorded extends Error {}

export interface RecordedRegistration {
  readonly requestHash: string;
  readonly userId: string | null;
  /** The user's password hash now (a replay must prove the password); null once the credential is gone. */
  readonly passwordHash: string | null;
}

@Injectable()
export class RegistrationRecords {
  constructor(private readonly db: LogDatabase) {}

  /** The key's record, stored with the registration; a live record of the key (another request's) undoes it. */
  recordAlong(key: string, requestHash: string, userId: string, now: Date, expiresAt: Date): SideWrite {
    return sideWrite('identity.registration-record', async (tx) => {
      const { rowCount } = await tx.query(
        `INSERT INTO idempotency_keys (user_id, idempotency_key, request_hash, claim_token, status, response_status, response_body, claimed_at, completed_at, expires_at)
         VALUES ($1, $2, $3, $4, 'completed', 201, $5::jsonb, $6, $6, $7)
         ON CONFLICT (user_id, idempotency_key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, response_body = EXCLUDED.response_body,
               claimed_at = EXCLUDED.claimed_at, completed_at = EXCLUDED.completed_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at < EXCLUDED.claimed_at`,
        [REGISTRATION_OWNER, key, requestHash, randomUUID(), JSON.stringify({ userId }), now, expiresAt],
      );
      if (!rowCount) throw new RegistrationKeyRecorded();
    });
  }

  async find(key: string, now: Date): Promise<RecordedRegistration | undefined> {
    const { rows } = await this.db.query<{ request_hash: string; user_id: string | null; password_hash: string | null }>(
      `SELECT k.request_hash, k.response_body->>'userId' AS user_id, c.password_hash
         FROM idempotency_keys k LEFT JOIN credentials c ON c.user_id = (k.response_body->>'userId')::uuid
        WHERE k.user_id = $1 AND k.idempotency_key = $2 AND k.expires_at >= $3`,
      [REGISTRATION_OWNER, key, now],
    );
    return rows[0] && { requestHash: rows[0].request_hash, userId: rows[0].user_id, passwordHash: rows[0].password_hash };
  }
}

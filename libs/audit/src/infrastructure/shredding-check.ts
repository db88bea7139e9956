/**
 * Crypto-shredding check (E3): personal data must stay out of event payloads so that destroying a subject's vault key
 * erases it while every event hash still verifies. The check looks for both ways this can fail: a subject whose data was
 * shredded but whose key is still in the vault, and payloads carrying what looks like a plain national ID or mobile
 * number, or a registration carrying the personal data the vault should hold.
 */
import { Queryable } from '@app/event-store';

export interface ShreddingFinding {
  readonly kind: 'key_not_destroyed' | 'plain_personal_data';
  readonly eventId: string;
  readonly investorId?: string;
  readonly detail: string;
}

export interface ShreddingReport {
  readonly ok: boolean;
  readonly vaultPresent: boolean;
  readonly shreddedSubjects: number;
  readonly findings: readonly ShreddingFinding[];
}

// 18-character resident ID (17 digits and a digit or X) and mainland mobile numbers, not inside longer runs of them.
// Bounded by anything but a Latin letter or digit: a number in text or its own JSON string matches, a run of digits
// inside a hash, a token or an id written in hex (which events carry many of) does not.
const NATIONAL_ID = '(^|[^0-9A-Za-z])[0-9]{17}[0-9Xx]($|[^0-9A-Za-z])';
const MOBILE = '(^|[^0-9A-Za-z])1[3-9][0-9]{9}($|[^0-9A-Za-z])';
const MAX_FINDINGS = 100;

export const checkShredding = async (db: Queryable): Promise<ShreddingReport> => {
  const findings: ShreddingFinding[] = [];
  const { rows: tables } = await db.query<{ present: boolean }>(`SELECT to_regclass('advisory_pii_keys') IS NOT NULL AS present`);
  const vaultPresent = tables[0]?.present === true;
  let shreddedSubjects = 0;
  if (vaultPresent) {
    // A person's advisory account and their registration share one vault key: either shredding event names it.
    const { rows } = await db.query<{ event_id: string; investor_id: string; key_present: boolean }>(
      `SELECT e.event_id, s.subject_id AS investor_id,
              EXISTS (SELECT 1 FROM advisory_pii_keys k WHERE k.subject_id = s.subject_id) AS key_present
         FROM events e CROSS JOIN LATERAL (SELECT COALESCE(e.data->>'investorId', e.data->>'userId') AS subject_id) s
        WHERE e.type IN ('advisory.PersonalDataShredded', 'identity.PersonalDataShredded') ORDER BY e.tx_id, e.position`,
    );
    shreddedSubjects = new Set(rows.map((row) => row.investor_id)).size;
    for (const row of rows.filter((r) => r.key_present).slice(0, MAX_FINDINGS)) {
      findings.push({
        kind: 'key_not_destroyed',
        eventId: row.event_id,
        investorId: row.investor_id,
        detail: 'shredding was recorded but the data key is still in the vault',
      });
    }
  }
  const { rows: leaks } = await db.query<{ event_id: string; what: string }>(
    `SELECT event_id, CASE WHEN data::text ~ $1 THEN 'a national ID number' ELSE 'a mobile number' END AS what
       FROM events WHERE data::text ~ $1 OR data::text ~ $2 ORDER BY tx_id, position LIMIT $3`,
    [NATIONAL_ID, MOBILE, MAX_FINDINGS],
  );
  for (const leak of leaks) {
    findings.push({
      kind: 'plain_personal_data',
      eventId: leak.event_id,
      detail: `the event payload contains what looks like ${leak.what}`,
    });
  }
  // Registrations reference the vault from schema version 2 on; version 1 carried the data and cannot be rewritten (E1).
  const { rows: registrations } = await db.query<{ event_id: string }>(
    `SELECT event_id FROM events
      WHERE type = 'identity.UserRegistered' AND schema_version >= 2 AND (data ? 'email' OR data ? 'displayName' OR data ? 'dateOfBirth')
      ORDER BY tx_id, position LIMIT $1`,
    [MAX_FINDINGS],
  );
  for (const registration of registrations) {
    findings.push({
      kind: 'plain_personal_data',
      eventId: registration.event_id,
      detail: 'a registration carries the email, name or date of birth instead of a vault reference',
    });
  }
  return { ok: findings.length === 0, vaultPresent, shreddedSubjects, findings };
};

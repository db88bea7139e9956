import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { UserEvent } from '../domain/user';

/** Events that end every session of the user issued before them (session version raised, see domain/session.ts). */
const ENDS_EVERY_SESSION = new Set(['identity.RoleRevoked', 'identity.UserDisabled', 'identity.PasswordChanged', 'identity.SessionsEnded']);

/**
 * The sessions read model: one row per session started (identity.SessionStarted), with when it ended and why. A session
 * ends one by one (identity.SessionEnded, a logout or an admin), or with every earlier one of the user when the session
 * version rises. Its token expires on its own at `expires_at`; the list of active sessions leaves those out.
 */
@Injectable()
@EventProjection()
export class SessionsProjection implements Projection {
  readonly name = 'identity.sessions';
  readonly tables = ['identity_sessions'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      if (!recorded.type.startsWith('identity.')) continue;
      const event = { type: recorded.type, data: recorded.data } as unknown as UserEvent;
      if (event.type === 'identity.SessionStarted') {
        const d = event.data;
        await manager.query(
          `INSERT INTO identity_sessions (session_id, user_id, issued_at, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (session_id) DO NOTHING`,
          [d.sessionId, d.userId, d.at, d.expiresAt, d.userAgent],
        );
      } else if (event.type === 'identity.SessionEnded') {
        await manager.query(
          `UPDATE identity_sessions SET ended_at = $3, ended_by = 'logout_or_admin' WHERE session_id = $1 AND user_id = $2 AND ended_at IS NULL`,
          [event.data.sessionId, event.data.userId, event.data.at],
        );
      } else if (ENDS_EVERY_SESSION.has(event.type)) {
        const data = event.data as { userId: string; at: string };
        await manager.query(
          `UPDATE identity_sessions SET ended_at = $2, ended_by = $3 WHERE user_id = $1 AND ended_at IS NULL AND issued_at <= $2`,
          [data.userId, data.at, event.type],
        );
      }
    }
  }
}

export interface SessionRow {
  readonly sessionId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly userAgent: string | null;
}

/** Reads of the sessions read model. */
@Injectable()
export class SessionsView {
  constructor(private readonly db: DataSource) {}

  /** The user's sessions that have not ended and whose tokens have not expired, newest first. */
  async active(userId: string, now: Date): Promise<SessionRow[]> {
    const rows: { sessionId: string; issuedAt: Date; expiresAt: Date; userAgent: string | null }[] = await this.db.query(
      `SELECT session_id AS "sessionId", issued_at AS "issuedAt", expires_at AS "expiresAt", user_agent AS "userAgent"
         FROM identity_sessions WHERE user_id = $1 AND ended_at IS NULL AND expires_at > $2 ORDER BY issued_at DESC LIMIT 200`,
      [userId, now],
    );
    return rows.map((row) => ({ ...row, issuedAt: row.issuedAt.toISOString(), expiresAt: row.expiresAt.toISOString() }));
  }
}

/** The credentials table (sign-in email and password hash, kept out of the log): its writes beside a user's decisions, and its reads. */
import { Injectable } from '@nestjs/common';
import { LogDatabase } from '@app/event-store';
import { SideWrite, sideWrite } from '@app/platform';

export interface Credential {
  readonly userId: string;
  readonly email: string;
  readonly passwordHash: string;
}

/** The unique index on the email refused a second account with it. */
export const isEmailTaken = (error: unknown) =>
  (error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'credentials_email_key';

/** A new user's credential, stored with their registration. */
export const credentialOf = (userId: string, email: string, passwordHash: string): SideWrite =>
  sideWrite('identity.credential', async (tx) => {
    await tx.query('INSERT INTO credentials (user_id, email, password_hash) VALUES ($1, $2, $3)', [userId, email, passwordHash]);
  });

/** A new password, stored with the event that records the change (which ends every session). */
export const passwordOf = (userId: string, passwordHash: string): SideWrite =>
  sideWrite('identity.password', async (tx) => {
    await tx.query('UPDATE credentials SET password_hash = $2 WHERE user_id = $1', [userId, passwordHash]);
  });

/** The sign-in email goes with the shredding of the person's personal data (E3). */
export const credentialRemoved = (userId: string): SideWrite =>
  sideWrite('identity.credential-removed', async (tx) => {
    await tx.query('DELETE FROM credentials WHERE user_id = $1', [userId]);
  });

@Injectable()
export class Credentials {
  constructor(private readonly db: LogDatabase) {}

  async byEmail(email: string): Promise<Credential | undefined> {
    const { rows } = await this.db.query<{ user_id: string; email: string; password_hash: string }>(
      'SELECT user_id, email, password_hash FROM credentials WHERE lower(email) = $1',
      [email],
    );
    return rows[0] && { userId: rows[0].user_id, email: rows[0].email, passwordHash: rows[0].password_hash };
  }

  async ofUser(userId: string): Promise<Credential | undefined> {
    const { rows } = await this.db.query<{ email: string; password_hash: string }>(
      'SELECT email, password_hash FROM credentials WHERE user_id = $1',
      [userId],
    );
    return rows[0] && { userId, email: rows[0].email, passwordHash: rows[0].password_hash };
  }

  /** A stronger hash of the same password, unless the password changed meanwhile. */
  async rehash(userId: string, previous: string, next: string): Promise<void> {
    await this.db.query('UPDATE credentials SET password_hash = $2 WHERE user_id = $1 AND password_hash = $3', [userId, next, previous]);
  }
}

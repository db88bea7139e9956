import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sessions read model (identity.SessionStarted onwards): the sessions an admin lists for a user and may end one
 * by one. Sessions started before this migration were not recorded and are not listed (they still expire on their own,
 * and "end every session" still ends them).
 */
export class IdentitySessionList1766400000000 implements MigrationInterface {
  name = 'IdentitySessionList1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity_sessions (
        session_id  uuid PRIMARY KEY,
        user_id     uuid NOT NULL,
        issued_at   timestamptz NOT NULL,
        expires_at  timestamptz NOT NULL,
        user_agent  text,
        ended_at    timestamptz,
        ended_by    text
      )`);
    await q.query(`CREATE INDEX identity_sessions_user_idx ON identity_sessions (user_id, issued_at DESC) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE identity_sessions');
  }
}

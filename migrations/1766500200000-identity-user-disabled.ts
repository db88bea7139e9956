import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a user is disabled, in the users read model (GET /admin/users says it, so the admin's page shows the status
 * and offers only the action that applies). Backfilled from the log: the user's latest disabling or enabling.
 */
export class IdentityUserDisabled1766500200000 implements MigrationInterface {
  name = 'IdentityUserDisabled1766500200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users_view ADD COLUMN disabled boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE users_view u SET disabled = true
        FROM (SELECT DISTINCT ON (data->>'userId') data->>'userId' AS user_id, type FROM events
               WHERE type IN ('identity.UserDisabled', 'identity.UserEnabled')
               ORDER BY data->>'userId', tx_id DESC, position DESC) latest
       WHERE latest.type = 'identity.UserDisabled' AND u.user_id::text = latest.user_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users_view DROP COLUMN disabled');
  }
}

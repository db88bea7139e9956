import { MigrationInterface, QueryRunner } from 'typeorm';

/** Credentials live outside the event log (a password hash has no place in a permanent record); users is a read model. */
export class Identity1764000100000 implements MigrationInterface {
  name = 'Identity1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credentials (
        user_id        uuid PRIMARY KEY,
        email          text NOT NULL,
        password_hash  text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX credentials_email_key ON credentials (lower(email))`);
    await q.query(`
      CREATE TABLE users_view (
        user_id        uuid PRIMARY KEY,
        email          text NOT NULL,
        display_name   text NOT NULL,
        roles          text[] NOT NULL,
        date_of_birth  date,
        registered_at  timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE users_view');
    await q.query('DROP TABLE credentials');
  }
}

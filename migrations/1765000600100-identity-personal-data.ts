import { MigrationInterface, QueryRunner } from 'typeorm';

/** A user's email and display name come from the personal-data vault and are emptied when it is shredded (E3). */
export class IdentityPersonalData1765000600100 implements MigrationInterface {
  name = 'IdentityPersonalData1765000600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users_view ALTER COLUMN email DROP NOT NULL, ALTER COLUMN display_name DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users_view ALTER COLUMN email SET NOT NULL, ALTER COLUMN display_name SET NOT NULL`);
  }
}

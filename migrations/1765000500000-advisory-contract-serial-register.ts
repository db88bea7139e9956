import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contract serials are assigned by the server from each year's register stream (`advisory.contract-serials-<year>`),
 * which also keeps them unique; the table that reserved client-chosen serials has nothing left to do. The serials it
 * held are in the `advisory.ContractSigned` events.
 */
export class AdvisoryContractSerialRegister1765000500000 implements MigrationInterface {
  name = 'AdvisoryContractSerialRegister1765000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE advisory_contract_serials`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE advisory_contract_serials (
        serial         text PRIMARY KEY,
        engagement_id  text NOT NULL,
        reserved_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO advisory_contract_serials (serial, engagement_id)
      SELECT data->>'serial', data->>'engagementId' FROM events WHERE type = 'advisory.ContractSigned' ON CONFLICT DO NOTHING`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Witness cosignatures (C2SP tlog-cosignature) of our checkpoints, as the witnesses returned them (append-only like
 * the checkpoints they sign), and each configured witness's latest cosigned size as the log last learnt it: the old size
 * of the next add-checkpoint request.
 */
export class AuditWitnesses1765000720000 implements MigrationInterface {
  name = 'AuditWitnesses1765000720000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_cosignatures (
        tree_size       bigint NOT NULL,
        witness         text NOT NULL,
        key_id          text NOT NULL,
        signature_line  text NOT NULL,
        cosigned_at     timestamptz NOT NULL,
        received_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tree_size, witness, key_id)
      )`);
    await q.query(
      `CREATE TRIGGER audit_cosignatures_no_update_delete BEFORE UPDATE OR DELETE ON audit_cosignatures FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`,
    );
    await q.query(
      `CREATE TRIGGER audit_cosignatures_no_truncate BEFORE TRUNCATE ON audit_cosignatures FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`,
    );
    await q.query(`
      CREATE TABLE audit_witness_sizes (
        witness     text NOT NULL,
        key_id      text NOT NULL,
        size        bigint NOT NULL CHECK (size >= 0),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (witness, key_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_witness_sizes`);
    await q.query(`DROP TABLE audit_cosignatures`);
  }
}

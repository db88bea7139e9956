import { MigrationInterface, QueryRunner } from 'typeorm';

/** Catalog read model: every listing with its current status, copy, plans and advisory terms. */
export class Catalog1764000300000 implements MigrationInterface {
  name = 'Catalog1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE catalog_listings (
        listing_id              uuid PRIMARY KEY,
        status                  text NOT NULL,
        family                  text NOT NULL,
        kind                    text NOT NULL,
        title                   text NOT NULL,
        description             text NOT NULL,
        plans                   jsonb NOT NULL,
        advisory                jsonb,
        risk_level              text,
        min_price_minor         bigint,
        created_by              text NOT NULL,
        submitted_by            text,
        reviewed_by             text,
        review_note             text,
        pending_rating_change   jsonb,
        created_at              timestamptz NOT NULL,
        updated_at              timestamptz NOT NULL,
        published_at            timestamptz
      )`);
    await q.query(`CREATE INDEX catalog_listings_browse_idx ON catalog_listings (status, family, kind, published_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE catalog_listings');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The funnel's gap bucket (minutes between two stages rounded to the nearest E24 preferred number, whole minutes below
 * 100; libs/growth/src/domain/gap-histogram.ts) as one function, so that the ingest statement, which buckets the gaps
 * of every funnel row it changes, carries one call per gap instead of a chain of about 120 comparisons: that statement
 * is set up again on every execution, and the chains had made that set-up cost more than the work for small batches.
 * plpgsql, so that PostgreSQL calls it rather than inlining the expression back into the statement.
 */
export class GrowthGapBucketFunction1766500100000 implements MigrationInterface {
  name = 'GrowthGapBucketFunction1766500100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION growth_gap_bucket(seconds numeric) RETURNS integer
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
      DECLARE
        m bigint := round(seconds / 60);
        e24 integer[] := ARRAY[10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91, 100];
        step bigint := 10;
      BEGIN
        IF m < 100 THEN
          RETURN m;
        END IF;
        -- Each decade from 100 to 10^7 minutes: the E24 number whose geometric interval holds m.
        WHILE step <= 100000 LOOP
          IF m < 100 * step THEN
            FOR i IN 1..24 LOOP
              IF m * m < e24[i]::bigint * e24[i + 1] * step * step THEN
                RETURN e24[i] * step;
              END IF;
            END LOOP;
            RETURN 100 * step;
          END IF;
          step := step * 10;
        END LOOP;
        RETURN round(m / power(10, floor(log(m)) - 1)) * power(10, floor(log(m)) - 1);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION growth_gap_bucket(numeric)');
  }
}

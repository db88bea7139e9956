/** ActivityQuery from the activity table and the funnel rollup (what reach and rewards ask about single investors). */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivityQuery, FUNNEL_STAGES, FunnelStage } from '../audience';

export const stageColumn = (stage: FunnelStage): string => {
  if (!FUNNEL_STAGES.includes(stage)) throw new Error(`unknown funnel stage ${String(stage)}`);
  return `${stage}_at`;
};

@Injectable()
export class PgActivityQuery extends ActivityQuery {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async any(investorId: string, types: readonly string[], from: Date, to: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      'SELECT 1 FROM growth_activity WHERE investor_id = $1 AND type = ANY($2::text[]) AND at >= $3 AND at < $4 LIMIT 1',
      [investorId, types, from.toISOString(), to.toISOString()],
    );
    return rows.length > 0;
  }

  async activeAmong(investorIds: readonly string[], from: Date, to: Date): Promise<ReadonlySet<string>> {
    if (investorIds.length === 0) return new Set();
    const rows: { investor_id: string }[] = await this.dataSource.query(
      `SELECT i.investor_id FROM unnest($1::text[]) AS i (investor_id)
        WHERE EXISTS (SELECT 1 FROM growth_activity a WHERE a.investor_id = i.investor_id AND a.at >= $2 AND a.at < $3)`,
      [investorIds, from.toISOString(), to.toISOString()],
    );
    return new Set(rows.map((row) => row.investor_id));
  }

  async reachedStageAmong(
    investorIds: readonly string[],
    productKind: string,
    stage: FunnelStage,
    from: Date,
    to: Date,
  ): Promise<ReadonlySet<string>> {
    if (investorIds.length === 0) return new Set();
    const column = stageColumn(stage);
    const rows: { investor_id: string }[] = await this.dataSource.query(
      `SELECT investor_id FROM growth_funnel WHERE product_kind = $1 AND investor_id = ANY($2::text[]) AND ${column} >= $3 AND ${column} < $4`,
      [productKind, investorIds, from.toISOString(), to.toISOString()],
    );
    return new Set(rows.map((row) => row.investor_id));
  }
}

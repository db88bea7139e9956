import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@app/common';
import { PointLot } from '../../domain/points-ledger';
import { HistoryEntry } from '../../projections/rewards.projection';

export interface PointsView {
  readonly investorId: string;
  /** Points not yet expired at `asOf`. */
  readonly balance: number;
  readonly asOf: string;
  readonly nextExpiry: { readonly at: string; readonly points: number } | null;
  readonly lots: readonly PointLot[];
  readonly history: readonly HistoryEntry[];
}

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString());

/** Reads of the rewards read models (never the streams). */
@Injectable()
export class RewardsQueries {
  constructor(private readonly db: DataSource) {}

  async points(investorId: string, asOf: Date): Promise<PointsView> {
    const rows: { lots: PointLot[]; history: HistoryEntry[] }[] = await this.db.query(
      'SELECT lots, history FROM rewards_ledgers WHERE investor_id = $1',
      [investorId],
    );
    const lots = rows[0]?.lots ?? [];
    const live = lots.filter((lot) => Date.parse(lot.expiresAt) > asOf.getTime());
    const next = [...live].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))[0];
    return {
      investorId,
      balance: live.reduce((sum, lot) => sum + lot.remaining, 0),
      asOf: asOf.toISOString(),
      nextExpiry: next
        ? {
            at: next.expiresAt,
            points: live.filter((lot) => lot.expiresAt === next.expiresAt).reduce((sum, lot) => sum + lot.remaining, 0),
          }
        : null,
      lots: live,
      history: rows[0]?.history ?? [],
    };
  }

  async budget(campaignId: string) {
    const rows: Record<string, unknown>[] = await this.db.query('SELECT * FROM rewards_budgets WHERE campaign_id = $1', [campaignId]);
    const row = rows[0];
    if (!row) throw notFound('BUDGET.NOT_FOUND', `campaign ${campaignId} has no budget`);
    const limit = Number(row.points_limit);
    const spent = Number(row.points_spent);
    const limitMinor = Number(row.money_limit_minor);
    const spentMinor = Number(row.money_spent_minor);
    return {
      campaignId,
      points: { limit, spent, left: limit - spent },
      money: { limitMinor, spentMinor, leftMinor: limitMinor - spentMinor, currency: String(row.currency) },
    };
  }

  async round(roundId: string) {
    const rows: Record<string, unknown>[] = await this.db.query('SELECT * FROM rewards_up_down_rounds WHERE round_id = $1', [roundId]);
    const row = rows[0];
    if (!row) throw notFound('UPDOWN.ROUND_NOT_FOUND', `no round ${roundId}`);
    return {
      roundId,
      indexCode: String(row.index_code),
      tradingDay: row.trading_day instanceof Date ? row.trading_day.toISOString().slice(0, 10) : String(row.trading_day),
      cutoffAt: iso(row.cutoff_at),
      rewardPoints: Number(row.reward_points),
      status: String(row.status),
      predictions: { up: Number(row.predicted_up), down: Number(row.predicted_down) },
      outcome: (row.outcome as string | null) ?? null,
      winners: Number(row.winners),
      settledAt: row.settled_at ? iso(row.settled_at) : null,
    };
  }
}

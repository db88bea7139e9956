import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection, Row, RowTable, foldRows } from '@app/platform';
import { BudgetEvent, BudgetEventTypes } from '../domain/budget';
import { LedgerEvent, LedgerEventTypes, PointLot } from '../domain/points-ledger';
import { RoundEvent, RoundEventTypes } from '../domain/up-down-game';

/** How many ledger entries a balance row keeps for GET /me/points (the stream keeps them all). */
export const HISTORY_KEPT = 200;

export interface HistoryEntry {
  readonly entryId: string;
  readonly kind: 'awarded' | 'spent' | 'expired';
  readonly points: number;
  readonly at: string;
  readonly detail: Record<string, unknown>;
}

const nextExpiry = (lots: readonly PointLot[]): string | null => lots.map((lot) => lot.expiresAt).sort()[0] ?? null;

const takeFrom = (lots: readonly PointLot[], parts: readonly { lotId: string; points: number }[]): PointLot[] => {
  const taken = new Map(parts.map((part) => [part.lotId, part.points]));
  return lots.map((lot) => ({ ...lot, remaining: lot.remaining - (taken.get(lot.lotId) ?? 0) })).filter((lot) => lot.remaining > 0);
};

/** rewards_ledgers, one row per investor: balance, open lots, the next expiry (for the expiry job) and recent history. */
export const ledgersTable: RowTable<LedgerEvent> = {
  name: 'rewards_ledgers',
  key: 'investor_id',
  keyOf: (event) => (Object.values(LedgerEventTypes).includes(event.type) ? event.data.investorId : undefined),
  reduce: (row, event): Row | undefined => {
    const lots = (row?.lots as PointLot[] | undefined) ?? [];
    const history = (row?.history as HistoryEntry[] | undefined) ?? [];
    const balance = Number(row?.balance ?? 0);
    const d = event.data;
    const write = (nextLots: PointLot[], nextBalance: number, entry: HistoryEntry): Row => ({
      investor_id: d.investorId,
      balance: nextBalance,
      lots: nextLots,
      next_expiry: nextExpiry(nextLots),
      history: [entry, ...history].slice(0, HISTORY_KEPT),
      updated_at: d.step.at,
    });
    switch (event.type) {
      case LedgerEventTypes.Awarded: {
        const e = event.data;
        if (lots.some((lot) => lot.lotId === e.awardId) || history.some((entry) => entry.entryId === `award:${e.awardId}`)) return row;
        const lot: PointLot = { lotId: e.awardId, remaining: e.points, awardedAt: e.step.at, expiresAt: e.expiresAt };
        return write([...lots, lot], balance + e.points, {
          entryId: `award:${e.awardId}`,
          kind: 'awarded',
          points: e.points,
          at: e.step.at,
          detail: { source: e.source, expiresAt: e.expiresAt },
        });
      }
      case LedgerEventTypes.Spent: {
        const e = event.data;
        if (history.some((entry) => entry.entryId === `spend:${e.spendId}`)) return row;
        return write(takeFrom(lots, e.lots), balance - e.points, {
          entryId: `spend:${e.spendId}`,
          kind: 'spent',
          points: -e.points,
          at: e.step.at,
          detail: { purpose: e.purpose, lots: e.lots },
        });
      }
      case LedgerEventTypes.Expired: {
        const e = event.data;
        const entryId = `expiry:${e.lots.map((part) => part.lotId).join(',')}`;
        if (history.some((entry) => entry.entryId === entryId)) return row;
        return write(takeFrom(lots, e.lots), balance - e.points, {
          entryId,
          kind: 'expired',
          points: -e.points,
          at: e.step.at,
          detail: { lots: e.lots },
        });
      }
      default:
        return row;
    }
  },
};

/** rewards_budgets, one row per campaign: limits and what was charged. */
export const budgetsTable: RowTable<BudgetEvent> = {
  name: 'rewards_budgets',
  key: 'campaign_id',
  keyOf: (event) => (Object.values(BudgetEventTypes).includes(event.type) ? event.data.campaignId : undefined),
  reduce: (row, event): Row | undefined => {
    switch (event.type) {
      case BudgetEventTypes.Opened: {
        const d = event.data;
        return (
          row ?? {
            campaign_id: d.campaignId,
            points_limit: d.points,
            points_spent: 0,
            money_limit_minor: d.money.amountMinor,
            money_spent_minor: 0,
            currency: d.money.currency,
            charges: 0,
            updated_at: d.step.at,
          }
        );
      }
      case BudgetEventTypes.Charged: {
        if (!row) return undefined;
        const d = event.data;
        return {
          ...row,
          points_spent: Number(row.points_spent) + d.points,
          money_spent_minor: Number(row.money_spent_minor) + d.money.amountMinor,
          charges: Number(row.charges) + 1,
          updated_at: d.step.at,
        };
      }
      default:
        return row;
    }
  },
};

/** rewards_up_down_rounds, one row per round: what the settlement job looks for, and the public round summary. */
export const roundsTable: RowTable<RoundEvent> = {
  name: 'rewards_up_down_rounds',
  key: 'round_id',
  keyOf: (event) =>
    event.type === RoundEventTypes.Opened
      ? event.data.terms.roundId
      : Object.values(RoundEventTypes).includes(event.type)
        ? (event.data as { roundId: string }).roundId
        : undefined,
  reduce: (row, event): Row | undefined => {
    switch (event.type) {
      case RoundEventTypes.Opened: {
        const { terms } = event.data;
        return (
          row ?? {
            round_id: terms.roundId,
            index_code: terms.indexCode,
            trading_day: terms.tradingDay,
            cutoff_at: terms.cutoffAt,
            reward_points: terms.rewardPoints,
            status: 'open',
            predicted_up: 0,
            predicted_down: 0,
            outcome: null,
            winners: 0,
            settled_at: null,
          }
        );
      }
      case RoundEventTypes.Predicted:
        if (!row) return undefined;
        return event.data.direction === 'up'
          ? { ...row, predicted_up: Number(row.predicted_up) + 1 }
          : { ...row, predicted_down: Number(row.predicted_down) + 1 };
      case RoundEventTypes.Settled:
        if (!row) return undefined;
        return {
          ...row,
          status: 'settled',
          outcome: event.data.outcome,
          winners: event.data.winners.length,
          settled_at: event.data.step.at,
        };
      default:
        return row;
    }
  },
};

@Injectable()
@EventProjection()
export class RewardsProjection implements Projection {
  readonly name = 'rewards.read-models';
  readonly tables = ['rewards_ledgers', 'rewards_budgets', 'rewards_up_down_rounds'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    await foldRows(manager, ledgersTable, events);
    await foldRows(manager, budgetsTable, events);
    await foldRows(manager, roundsTable, events);
  }
}

import { Row } from '@app/platform';
import { BudgetEvent, BudgetEventTypes } from '../domain/budget';
import { LedgerEvent, LedgerEventTypes as E } from '../domain/points-ledger';
import { RoundEvent, RoundEventTypes } from '../domain/up-down-game';
import { budgetsTable, ledgersTable, roundsTable } from './rewards.projection';

const step = (at: string) => ({ actorId: 'inv-1', at, channel: 'app' as const });
const fold = <Ev>(table: { reduce(row: Readonly<Row> | undefined, event: Ev): Row | undefined }, events: Ev[]) =>
  events.reduce<Row | undefined>((row, event) => table.reduce(row, event) ?? row, undefined);

describe('rewards read models', () => {
  const awarded = (awardId: string, points: number, expiresAt: string): LedgerEvent => ({
    type: E.Awarded,
    data: {
      investorId: 'inv-1',
      awardId,
      points,
      expiresAt,
      source: { kind: 'campaign', campaignId: 'c' },
      step: step('2026-01-01T00:00:00.000Z'),
    },
  });

  it('G5: a balance row folds awards, FIFO spends and expiries; the next expiry is the earliest open lot; replays change nothing', () => {
    const spent: LedgerEvent = {
      type: E.Spent,
      data: {
        investorId: 'inv-1',
        spendId: 's-1',
        points: 120,
        lots: [
          { lotId: 'a', points: 100 },
          { lotId: 'b', points: 20 },
        ],
        purpose: { kind: 'value_added_discount', redemptionId: 's-1', optionId: 'o', listingId: 'L', couponCode: 'PTS-S1' },
        step: step('2026-02-01T00:00:00.000Z'),
      },
    };
    const expired: LedgerEvent = {
      type: E.Expired,
      data: { investorId: 'inv-1', points: 30, lots: [{ lotId: 'b', points: 30 }], step: step('2026-06-01T00:00:00.000Z') },
    };
    const events = [
      awarded('a', 100, '2026-03-01T00:00:00.000Z'),
      awarded('b', 50, '2026-06-01T00:00:00.000Z'),
      awarded('c', 10, '2026-09-01T00:00:00.000Z'),
      spent,
    ];
    const row = fold(ledgersTable, events);
    expect(row).toMatchObject({
      investor_id: 'inv-1',
      balance: 40,
      next_expiry: '2026-06-01T00:00:00.000Z',
      lots: [
        { lotId: 'b', remaining: 30 },
        { lotId: 'c', remaining: 10 },
      ],
    });
    const after = fold(ledgersTable, [...events, expired]);
    expect(after).toMatchObject({ balance: 10, next_expiry: '2026-09-01T00:00:00.000Z', lots: [{ lotId: 'c', remaining: 10 }] });
    expect((after?.history as { kind: string }[]).map((entry) => entry.kind)).toEqual([
      'expired',
      'spent',
      'awarded',
      'awarded',
      'awarded',
    ]);
    expect(fold(ledgersTable, [...events, expired, ...events, expired])).toEqual(after);
  });

  it('a budget row adds up its charges', () => {
    const s = step('2026-01-01T00:00:00.000Z');
    const events: BudgetEvent[] = [
      { type: BudgetEventTypes.Opened, data: { campaignId: 'c', points: 100, money: { amountMinor: 1000, currency: 'CNY' }, step: s } },
      {
        type: BudgetEventTypes.Charged,
        data: { campaignId: 'c', chargeId: '1', points: 40, money: { amountMinor: 300, currency: 'CNY' }, step: s },
      },
      {
        type: BudgetEventTypes.Charged,
        data: { campaignId: 'c', chargeId: '2', points: 60, money: { amountMinor: 0, currency: 'CNY' }, step: s },
      },
    ];
    expect(fold(budgetsTable, events)).toMatchObject({ points_limit: 100, points_spent: 100, money_spent_minor: 300, charges: 2 });
  });

  it('a round row counts predictions and records the settlement', () => {
    const terms = { roundId: 'r', indexCode: 'X', tradingDay: '2026-03-02', cutoffAt: '2026-03-02T01:30:00.000Z', rewardPoints: 20 };
    const s = step('2026-03-02T01:00:00.000Z');
    const events: RoundEvent[] = [
      { type: RoundEventTypes.Opened, data: { terms, step: s } },
      { type: RoundEventTypes.Predicted, data: { roundId: 'r', investorId: 'a', direction: 'up', step: s } },
      { type: RoundEventTypes.Predicted, data: { roundId: 'r', investorId: 'b', direction: 'down', step: s } },
      {
        type: RoundEventTypes.Settled,
        data: {
          roundId: 'r',
          close: { indexCode: 'X', tradingDay: '2026-03-02', previousCloseCenti: 1, closeCenti: 2 },
          outcome: 'up',
          winners: ['a'],
          rewardPoints: 20,
          step: s,
        },
      },
    ];
    expect(fold(roundsTable, events)).toMatchObject({ status: 'settled', predicted_up: 1, predicted_down: 1, outcome: 'up', winners: 1 });
  });
});

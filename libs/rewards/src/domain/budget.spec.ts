import { Step, fold } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { BudgetCommand, BudgetEvent, BudgetEventTypes as E, budgetDecider } from './budget';

const spec = deciderSpec(budgetDecider);
const step: Step = { actorId: 'pm-1', at: '2026-03-01T00:00:00.000Z', channel: 'staff_console' };
const opened: BudgetEvent = {
  type: E.Opened,
  data: { campaignId: 'spring', points: 100, money: { amountMinor: 5000, currency: 'CNY' }, step },
};
const charge = (chargeId: string, points: number, amountMinor = 0): BudgetCommand => ({
  type: 'Charge',
  chargeId,
  points,
  money: { amountMinor, currency: 'CNY' },
  step,
});
const charged = (chargeId: string, points: number, amountMinor = 0): BudgetEvent => ({
  type: E.Charged,
  data: { campaignId: 'spring', chargeId, points, money: { amountMinor, currency: 'CNY' }, step },
});

describe('campaign budgets (G5)', () => {
  it('charges points and money within the budget', () => {
    spec
      .given([opened])
      .when(charge('c-1', 60, 1000))
      .then([charged('c-1', 60, 1000)]);
  });

  it('G5: a charge beyond the points or the money left is refused: a budget is never overspent', () => {
    spec
      .given([opened, charged('c-1', 60)])
      .when(charge('c-2', 41))
      .thenFails('BUDGET.EXHAUSTED', 'G5');
    spec
      .given([opened, charged('c-1', 0, 4500)])
      .when(charge('c-2', 0, 501))
      .thenFails('BUDGET.EXHAUSTED', 'G5');
    spec
      .given([opened, charged('c-1', 60)])
      .when(charge('c-2', 40))
      .then([charged('c-2', 40)]);
  });

  it('G5: whatever the order of many charges, what is charged never exceeds the limit', () => {
    let history: BudgetEvent[] = [opened];
    for (let i = 0; i < 30; i++) {
      const decided = budgetDecider.decide(charge(`c-${i}`, 7), fold(budgetDecider, history));
      if (Array.isArray(decided)) history = [...history, ...decided];
    }
    const state = fold(budgetDecider, history);
    expect(state).toMatchObject({ status: 'open', points: { limit: 100, spent: 98 } });
  });

  it('a charge is idempotent by charge id', () => {
    spec
      .given([opened, charged('c-1', 60)])
      .when(charge('c-1', 60))
      .then([]);
  });

  it('no budget, no charge; a budget is opened once; another currency is refused', () => {
    spec.given([]).when(charge('c-1', 1)).thenFails('BUDGET.NOT_OPEN');
    spec
      .given([opened])
      .when({ type: 'OpenBudget', campaignId: 'spring', points: 1, money: { amountMinor: 0, currency: 'CNY' }, step })
      .thenFails('BUDGET.ALREADY_OPEN');
    spec
      .given([opened])
      .when({ ...charge('c-1', 0), money: { amountMinor: 10, currency: 'USD' } })
      .thenFails('BUDGET.CURRENCY_MISMATCH');
  });
});

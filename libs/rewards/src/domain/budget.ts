/**
 * Incentive resources (seed 004: 激励资源): a campaign's budget of points and of money, one stream per campaign so that
 * every charge is decided on the amount left and appended at the revision it saw. Concurrent charges cannot overspend
 * it (G5): the loser of a race is decided again on the new balance.
 */
import { Decider, DomainError, DomainEvent, Money, Step, conflict, invalid, ruleViolation, unreachable } from '@app/common';

export type BudgetCommand =
  | { readonly type: 'OpenBudget'; readonly campaignId: string; readonly points: number; readonly money: Money; readonly step: Step }
  | { readonly type: 'Charge'; readonly chargeId: string; readonly points: number; readonly money?: Money; readonly step: Step };

export const BudgetEventTypes = {
  Opened: 'rewards.BudgetOpened',
  Charged: 'rewards.BudgetCharged',
} as const;

type T = typeof BudgetEventTypes;
export type BudgetEvent =
  | DomainEvent<T['Opened'], { campaignId: string; points: number; money: Money; step: Step }>
  | DomainEvent<T['Charged'], { campaignId: string; chargeId: string; points: number; money: Money; step: Step }>;

export type BudgetState =
  | { readonly status: 'none' }
  | {
      readonly status: 'open';
      readonly campaignId: string;
      readonly points: { readonly limit: number; readonly spent: number };
      readonly money: { readonly limit: Money; readonly spentMinor: number };
      readonly chargeIds: Readonly<Record<string, true>>;
    };

const nonNegative = (n: number) => Number.isSafeInteger(n) && n >= 0;

const decide = (command: BudgetCommand, state: BudgetState): BudgetEvent[] | DomainError => {
  switch (command.type) {
    case 'OpenBudget': {
      if (state.status === 'open') return conflict('BUDGET.ALREADY_OPEN', `campaign ${state.campaignId} already has a budget`);
      if (!nonNegative(command.points) || !nonNegative(command.money.amountMinor))
        return invalid('BUDGET.INVALID', 'budgets are non-negative integers');
      const { campaignId, points, money, step } = command;
      return [{ type: BudgetEventTypes.Opened, data: { campaignId, points, money, step } }];
    }
    case 'Charge': {
      if (state.status === 'none') return conflict('BUDGET.NOT_OPEN', 'the campaign has no budget');
      if (state.chargeIds[command.chargeId]) return [];
      const money = command.money ?? { amountMinor: 0, currency: state.money.limit.currency };
      if (!nonNegative(command.points) || !nonNegative(money.amountMinor))
        return invalid('BUDGET.INVALID', 'charges are non-negative integers');
      if (money.amountMinor > 0 && money.currency !== state.money.limit.currency)
        return invalid('BUDGET.CURRENCY_MISMATCH', `the budget is in ${state.money.limit.currency}`);
      const pointsLeft = state.points.limit - state.points.spent;
      const moneyLeft = state.money.limit.amountMinor - state.money.spentMinor;
      if (command.points > pointsLeft || money.amountMinor > moneyLeft) {
        return ruleViolation(
          'BUDGET.EXHAUSTED',
          'G5',
          `campaign ${state.campaignId}'s budget cannot cover this (points left ${pointsLeft}, money left ${moneyLeft})`,
          {
            campaignId: state.campaignId,
            pointsLeft,
            moneyLeftMinor: moneyLeft,
          },
        );
      }
      return [
        {
          type: BudgetEventTypes.Charged,
          data: {
            campaignId: state.campaignId,
            chargeId: command.chargeId,
            points: command.points,
            money: { amountMinor: money.amountMinor, currency: state.money.limit.currency },
            step: command.step,
          },
        },
      ];
    }
    default:
      return unreachable(command);
  }
};

const evolve = (state: BudgetState, event: BudgetEvent): BudgetState => {
  switch (event.type) {
    case BudgetEventTypes.Opened:
      return {
        status: 'open',
        campaignId: event.data.campaignId,
        points: { limit: event.data.points, spent: 0 },
        money: { limit: event.data.money, spentMinor: 0 },
        chargeIds: {},
      };
    case BudgetEventTypes.Charged:
      if (state.status === 'none') return state;
      return {
        ...state,
        points: { ...state.points, spent: state.points.spent + event.data.points },
        money: { ...state.money, spentMinor: state.money.spentMinor + event.data.money.amountMinor },
        chargeIds: { ...state.chargeIds, [event.data.chargeId]: true },
      };
    default:
      return unreachable(event);
  }
};

export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = { initialState: { status: 'none' }, decide, evolve };

export const budgetStreamId = (campaignId: string) => `rewards.budget-${campaignId}`;

/** The campaigns the built-in tools charge when their budget has been opened (no budget opened: not limited). */
export const CHECK_IN_CAMPAIGN = 'check-in';
export const UP_DOWN_CAMPAIGN = 'up-down';
export const REDEMPTION_CAMPAIGN = 'points-redemption';

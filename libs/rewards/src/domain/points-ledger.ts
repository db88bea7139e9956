/**
 * The points ledger of one investor (G5): points are an incentive with no cash value. The balance never goes
 * negative, an award is recorded once per award id, and points are spent and expire first in, first out: every award
 * is a lot with its own expiry, spending consumes the oldest lots first, and a lot past its expiry is written off.
 */
import { Decider, DomainError, DomainEvent, Step, invalid, ruleViolation, unreachable } from '@app/common';

/** Why points were given: the incentive tool that gave them. */
export type AwardSource =
  | { readonly kind: 'check_in'; readonly day: string; readonly streak: number }
  | { readonly kind: 'up_down_game'; readonly roundId: string }
  | { readonly kind: 'campaign'; readonly campaignId: string };

/** What points were spent on: only discounts on value-added products exist (V2). */
export interface SpendPurpose {
  readonly kind: 'value_added_discount';
  readonly redemptionId: string;
  readonly optionId: string;
  readonly listingId: string;
  readonly couponCode: string;
}

export interface PointLot {
  readonly lotId: string;
  readonly remaining: number;
  readonly awardedAt: string;
  readonly expiresAt: string;
}

export interface LotPart {
  readonly lotId: string;
  readonly points: number;
}

export type LedgerCommand =
  | {
      readonly type: 'AwardPoints';
      readonly investorId: string;
      readonly awardId: string;
      readonly points: number;
      readonly expiresAt: string;
      readonly source: AwardSource;
      readonly step: Step;
    }
  | {
      readonly type: 'SpendPoints';
      readonly investorId: string;
      readonly spendId: string;
      readonly points: number;
      readonly purpose: SpendPurpose;
      readonly step: Step;
    }
  | { readonly type: 'ExpirePoints'; readonly investorId: string; readonly step: Step };

export const LedgerEventTypes = {
  Awarded: 'rewards.PointsAwarded',
  Spent: 'rewards.PointsSpent',
  Expired: 'rewards.PointsExpired',
} as const;

type T = typeof LedgerEventTypes;
export type LedgerEvent =
  | DomainEvent<T['Awarded'], { investorId: string; awardId: string; points: number; expiresAt: string; source: AwardSource; step: Step }>
  | DomainEvent<T['Spent'], { investorId: string; spendId: string; points: number; lots: LotPart[]; purpose: SpendPurpose; step: Step }>
  | DomainEvent<T['Expired'], { investorId: string; points: number; lots: LotPart[]; step: Step }>;

export type LedgerState =
  | { readonly status: 'empty' }
  | {
      readonly status: 'open';
      readonly investorId: string;
      /** Lots with points left, in the order they were awarded (first in first). */
      readonly lots: readonly PointLot[];
      readonly balance: number;
      readonly awardIds: Readonly<Record<string, true>>;
      readonly spendIds: Readonly<Record<string, true>>;
    };

/** Lots past their expiry at `at`: what an expiry writes off. */
export const dueLots = (lots: readonly PointLot[], at: string): LotPart[] =>
  lots.filter((lot) => Date.parse(lot.expiresAt) <= Date.parse(at)).map((lot) => ({ lotId: lot.lotId, points: lot.remaining }));

/** The parts of the lots, oldest first, that make up `points`; undefined when the lots do not hold that many. */
export const firstInFirstOut = (lots: readonly PointLot[], points: number): LotPart[] | undefined => {
  const parts: LotPart[] = [];
  let left = points;
  for (const lot of lots) {
    if (left === 0) break;
    const taken = Math.min(lot.remaining, left);
    parts.push({ lotId: lot.lotId, points: taken });
    left -= taken;
  }
  return left === 0 ? parts : undefined;
};

const positiveInteger = (points: number) => Number.isSafeInteger(points) && points > 0;

const expiryOf = (investorId: string, lots: readonly PointLot[], step: Step): LedgerEvent[] => {
  const due = dueLots(lots, step.at);
  return due.length === 0
    ? []
    : [{ type: LedgerEventTypes.Expired, data: { investorId, points: due.reduce((sum, part) => sum + part.points, 0), lots: due, step } }];
};

const decide = (command: LedgerCommand, state: LedgerState): LedgerEvent[] | DomainError => {
  switch (command.type) {
    case 'AwardPoints': {
      if (state.status === 'open' && state.awardIds[command.awardId]) return []; // G5: an award is given once
      if (!positiveInteger(command.points)) return invalid('POINTS.AMOUNT_INVALID', 'points are a positive integer');
      if (!(Date.parse(command.expiresAt) > Date.parse(command.step.at)))
        return invalid('POINTS.EXPIRY_INVALID', 'points expire after they are awarded');
      const { investorId, awardId, points, expiresAt, source, step } = command;
      return [{ type: LedgerEventTypes.Awarded, data: { investorId, awardId, points, expiresAt, source, step } }];
    }
    case 'SpendPoints': {
      if (!positiveInteger(command.points)) return invalid('POINTS.AMOUNT_INVALID', 'points are a positive integer');
      if (state.status === 'empty')
        return ruleViolation('POINTS.INSUFFICIENT', 'G5', `the balance is 0 points; ${command.points} are needed`, {
          balance: 0,
          needed: command.points,
        });
      if (state.spendIds[command.spendId]) return [];
      // Expired points are written off first, in the same decision, so they can never be spent.
      const expired = expiryOf(state.investorId, state.lots, command.step);
      const expiredIds = new Set(
        expired.flatMap((event) => (event.type === LedgerEventTypes.Expired ? event.data.lots.map((part) => part.lotId) : [])),
      );
      const live = state.lots.filter((lot) => !expiredIds.has(lot.lotId));
      const lots = firstInFirstOut(live, command.points);
      const balance = live.reduce((sum, lot) => sum + lot.remaining, 0);
      if (!lots) {
        return ruleViolation(
          'POINTS.INSUFFICIENT',
          'G5',
          `the balance is ${balance} points; ${command.points} are needed (a ledger never goes negative)`,
          { balance, needed: command.points },
        );
      }
      const { investorId, spendId, points, purpose, step } = command;
      return [...expired, { type: LedgerEventTypes.Spent, data: { investorId, spendId, points, lots, purpose, step } }];
    }
    case 'ExpirePoints':
      return state.status === 'empty' ? [] : expiryOf(state.investorId, state.lots, command.step);
    default:
      return unreachable(command);
  }
};

const takeFrom = (lots: readonly PointLot[], parts: readonly LotPart[]): PointLot[] => {
  const taken = new Map(parts.map((part) => [part.lotId, part.points]));
  return lots.map((lot) => ({ ...lot, remaining: lot.remaining - (taken.get(lot.lotId) ?? 0) })).filter((lot) => lot.remaining > 0);
};

const evolve = (state: LedgerState, event: LedgerEvent): LedgerState => {
  switch (event.type) {
    case LedgerEventTypes.Awarded: {
      const open =
        state.status === 'open'
          ? state
          : { status: 'open' as const, investorId: event.data.investorId, lots: [], balance: 0, awardIds: {}, spendIds: {} };
      const lot: PointLot = {
        lotId: event.data.awardId,
        remaining: event.data.points,
        awardedAt: event.data.step.at,
        expiresAt: event.data.expiresAt,
      };
      return {
        ...open,
        lots: [...open.lots, lot],
        balance: open.balance + event.data.points,
        awardIds: { ...open.awardIds, [event.data.awardId]: true },
      };
    }
    case LedgerEventTypes.Spent:
      if (state.status === 'empty') return state;
      return {
        ...state,
        lots: takeFrom(state.lots, event.data.lots),
        balance: state.balance - event.data.points,
        spendIds: { ...state.spendIds, [event.data.spendId]: true },
      };
    case LedgerEventTypes.Expired:
      if (state.status === 'empty') return state;
      return { ...state, lots: takeFrom(state.lots, event.data.lots), balance: state.balance - event.data.points };
    default:
      return unreachable(event);
  }
};

export const pointsLedgerDecider: Decider<LedgerCommand, LedgerEvent, LedgerState> = { initialState: { status: 'empty' }, decide, evolve };

export const pointsLedgerStreamId = (investorId: string) => `rewards.points-${investorId}`;

/** The balance usable at `at`: lots not yet expired. */
export const spendableAt = (state: LedgerState, at: string): number =>
  state.status === 'empty'
    ? 0
    : state.lots.filter((lot) => Date.parse(lot.expiresAt) > Date.parse(at)).reduce((sum, lot) => sum + lot.remaining, 0);

/** When points awarded at `at` expire: `validDays` later (the product's policy, configuration). */
export const expiryFor = (at: string, validDays: number): string => new Date(Date.parse(at) + validDays * 86_400_000).toISOString();

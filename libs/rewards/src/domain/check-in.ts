/**
 * Daily check-in (seed 004: 登录签到 early on, 浏览自选 / 浏览持仓签到 later): one per Beijing calendar day, on the
 * qualifying activity in force that day, with streak bonuses from a configured table. Points follow from a check-in
 * through the ledger (G5); the activity itself is checked by the server (the handler asks the growth context), never
 * asserted by the client.
 */
import { Decider, DomainError, DomainEvent, Step, conflict, invalid, unreachable } from '@app/common';

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Beijing (Asia/Shanghai, UTC+8, no daylight saving) calendar date of an instant: a day starts at 16:00 UTC. */
export const beijingDay = (at: string): string => new Date(Date.parse(at) + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** The instant a Beijing calendar date starts. */
export const beijingDayStart = (day: string): Date => new Date(Date.parse(`${day}T00:00:00.000Z`) - BEIJING_OFFSET_MS);

export const previousDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00.000Z`) - DAY_MS).toISOString().slice(0, 10);

/** A qualifying-activity rule: from its effective date on, a check-in needs one of these activity types that day. */
export interface QualifyingRule {
  readonly ruleId: string;
  readonly effectiveFrom: string; // YYYY-MM-DD, Beijing date
  readonly activityTypes: readonly string[];
  readonly description: string;
}

/** The rule in force on a Beijing date: the latest whose effective date is on or before it. */
export const ruleInForce = (rules: readonly QualifyingRule[], day: string): QualifyingRule | undefined =>
  [...rules]
    .filter((rule) => rule.effectiveFrom <= day)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
    .pop();

export interface StreakTable {
  readonly basePoints: number;
  /** Extra points on reaching these streak lengths (consecutive Beijing days). */
  readonly bonuses: readonly { readonly streakDays: number; readonly points: number }[];
}

export const streakBonus = (table: StreakTable, streak: number): number =>
  table.bonuses.filter((bonus) => bonus.streakDays === streak).reduce((sum, bonus) => sum + bonus.points, 0);

export interface CheckInCommand {
  readonly type: 'CheckIn';
  readonly investorId: string;
  /** The qualifying rule in force on the day (undefined: none configured) and whether the investor's activity met it. */
  readonly qualifying: { readonly rule: QualifyingRule; readonly met: boolean } | undefined;
  readonly table: StreakTable;
  readonly step: Step;
}

export const CheckInEventTypes = { CheckedIn: 'rewards.CheckedIn' } as const;

export type CheckInEvent = DomainEvent<
  (typeof CheckInEventTypes)['CheckedIn'],
  {
    investorId: string;
    day: string;
    streak: number;
    basePoints: number;
    bonusPoints: number;
    points: number;
    qualifyingRule: { ruleId: string; activityTypes: readonly string[] };
    step: Step;
  }
>;

export type CheckInState =
  | { readonly status: 'never' }
  | { readonly status: 'checked_in'; readonly investorId: string; readonly lastDay: string; readonly streak: number };

/** The award id of a day's check-in: a repeated check-in can never award twice (the ledger's idempotency, G5). */
export const checkInAwardId = (investorId: string, day: string) => `check-in:${investorId}:${day}`;

const decide = (command: CheckInCommand, state: CheckInState): CheckInEvent[] | DomainError => {
  const day = beijingDay(command.step.at);
  if (state.status === 'checked_in' && state.lastDay >= day) {
    return new DomainError(
      'conflict',
      'CHECKIN.ALREADY_TODAY',
      `already checked in on ${day} (Beijing time); the next check-in opens at 00:00 Asia/Shanghai`,
      undefined,
      { day, streak: state.streak },
    );
  }
  if (!command.qualifying) return conflict('CHECKIN.NOT_CONFIGURED', 'no qualifying activity is configured for check-ins on this day');
  const { rule, met } = command.qualifying;
  if (!met) {
    // Not a rulebook rule: the product's own check-in rule, named in the refusal (its id, types and effective date).
    return new DomainError(
      'rule_violation',
      'CHECKIN.NOT_QUALIFIED',
      `check-in rule ${rule.ruleId} (from ${rule.effectiveFrom}): ${rule.description}; activity is recorded only under analytics consent (G7)`,
      undefined,
      {
        qualifyingRule: { ruleId: rule.ruleId, effectiveFrom: rule.effectiveFrom, activityTypes: rule.activityTypes },
        day,
      },
    );
  }
  if (!Number.isSafeInteger(command.table.basePoints) || command.table.basePoints < 1)
    return invalid('CHECKIN.TABLE_INVALID', 'base points are a positive integer');
  const streak = state.status === 'checked_in' && state.lastDay === previousDay(day) ? state.streak + 1 : 1;
  const bonusPoints = streakBonus(command.table, streak);
  return [
    {
      type: CheckInEventTypes.CheckedIn,
      data: {
        investorId: command.investorId,
        day,
        streak,
        basePoints: command.table.basePoints,
        bonusPoints,
        points: command.table.basePoints + bonusPoints,
        qualifyingRule: { ruleId: rule.ruleId, activityTypes: rule.activityTypes },
        step: command.step,
      },
    },
  ];
};

const evolve = (state: CheckInState, event: CheckInEvent): CheckInState => {
  switch (event.type) {
    case CheckInEventTypes.CheckedIn:
      return { status: 'checked_in', investorId: event.data.investorId, lastDay: event.data.day, streak: event.data.streak };
    default:
      return unreachable(event.type);
  }
};

export const checkInDecider: Decider<CheckInCommand, CheckInEvent, CheckInState> = { initialState: { status: 'never' }, decide, evolve };

export const checkInStreamId = (investorId: string) => `rewards.check-in-${investorId}`;

import { ConfigError } from '@app/platform';
import { CURRENCIES } from '@app/common';
import { QualifyingRule, StreakTable } from '../domain/check-in';
import { RedemptionOption } from '../domain/redemption';
import { UpDownSettings } from '../domain/round-terms';

/** The rewards context's configuration (environment variables, JSON where it is a table), validated at start-up. */
export interface RewardsSettings {
  readonly pointsValidDays: number;
  readonly checkInTable: StreakTable;
  readonly checkInRules: readonly QualifyingRule[];
  readonly upDown: UpDownSettings;
  readonly redemptionOptions: readonly RedemptionOption[];
  readonly jobIntervalMs: number;
}

export const REWARDS_SETTINGS = Symbol('REWARDS_SETTINGS');

const DEFAULTS = {
  REWARDS_POINTS_VALID_DAYS: '365',
  REWARDS_CHECKIN_TABLE: JSON.stringify({
    basePoints: 10,
    bonuses: [
      { streakDays: 3, points: 20 },
      { streakDays: 7, points: 50 },
    ],
  }),
  // Seed 004: early on a check-in needs a login that day; later a watchlist or positions view. Operators add a rule
  // with its effective date; past rules stay so that past check-ins name the rule they were decided by.
  REWARDS_CHECKIN_RULES: JSON.stringify([
    { ruleId: 'CHECKIN-LOGIN', effectiveFrom: '2020-01-01', activityTypes: ['logged_in'], description: 'log in on the day (Beijing time)' },
  ]),
  REWARDS_UPDOWN_INDEXES: '000300.SH,000001.SH',
  REWARDS_UPDOWN_CUTOFF: '09:30',
  REWARDS_UPDOWN_REWARD_POINTS: '20',
  REWARDS_REDEMPTION_OPTIONS: JSON.stringify([
    { optionId: 'cny-5', points: 500, amountOff: { amountMinor: 500, currency: 'CNY' }, validDays: 30 },
    { optionId: 'cny-20', points: 1800, amountOff: { amountMinor: 2000, currency: 'CNY' }, validDays: 30 },
  ]),
  REWARDS_JOB_INTERVAL_MS: '60000',
};

const positiveInt = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n > 0;
const isDay = (s: unknown) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

export const loadRewardsSettings = (env: Record<string, string | undefined>): RewardsSettings => {
  const problems: string[] = [];
  const value = (name: keyof typeof DEFAULTS) => env[name] ?? DEFAULTS[name];
  const json = <T>(name: keyof typeof DEFAULTS): T | undefined => {
    try {
      return JSON.parse(value(name)) as T;
    } catch {
      problems.push(`${name} is not JSON`);
      return undefined;
    }
  };
  const pointsValidDays = Number(value('REWARDS_POINTS_VALID_DAYS'));
  if (!positiveInt(pointsValidDays)) problems.push('REWARDS_POINTS_VALID_DAYS is a positive integer');
  const table = json<StreakTable>('REWARDS_CHECKIN_TABLE');
  if (
    table &&
    (!positiveInt(table.basePoints) ||
      !Array.isArray(table.bonuses) ||
      !table.bonuses.every((b) => positiveInt(b?.streakDays) && positiveInt(b?.points)))
  ) {
    problems.push('REWARDS_CHECKIN_TABLE is { basePoints, bonuses: [{ streakDays, points }] } with positive integers');
  }
  const rules = json<QualifyingRule[]>('REWARDS_CHECKIN_RULES');
  if (
    rules &&
    (!Array.isArray(rules) ||
      !rules.every(
        (r) =>
          typeof r?.ruleId === 'string' &&
          isDay(r.effectiveFrom) &&
          Array.isArray(r.activityTypes) &&
          r.activityTypes.length > 0 &&
          r.activityTypes.every((t) => typeof t === 'string') &&
          typeof r.description === 'string',
      ))
  ) {
    problems.push('REWARDS_CHECKIN_RULES is [{ ruleId, effectiveFrom: YYYY-MM-DD, activityTypes: [..], description }]');
  }
  const indexCodes = value('REWARDS_UPDOWN_INDEXES')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const cutoff = value('REWARDS_UPDOWN_CUTOFF');
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(cutoff)) problems.push('REWARDS_UPDOWN_CUTOFF is HH:MM (Beijing time)');
  const rewardPoints = Number(value('REWARDS_UPDOWN_REWARD_POINTS'));
  if (!positiveInt(rewardPoints)) problems.push('REWARDS_UPDOWN_REWARD_POINTS is a positive integer');
  const options = json<RedemptionOption[]>('REWARDS_REDEMPTION_OPTIONS');
  if (
    options &&
    (!Array.isArray(options) ||
      !options.every(
        (o) =>
          typeof o?.optionId === 'string' &&
          positiveInt(o.points) &&
          positiveInt(o.amountOff?.amountMinor) &&
          (CURRENCIES as readonly string[]).includes(o.amountOff?.currency) &&
          positiveInt(o.validDays),
      ))
  ) {
    problems.push('REWARDS_REDEMPTION_OPTIONS is [{ optionId, points, amountOff: { amountMinor, currency }, validDays }]');
  }
  const jobIntervalMs = Number(value('REWARDS_JOB_INTERVAL_MS'));
  if (!Number.isSafeInteger(jobIntervalMs) || jobIntervalMs < 0)
    problems.push('REWARDS_JOB_INTERVAL_MS is a non-negative integer (0: off)');
  if (problems.length > 0 || !table || !rules || !options) throw new ConfigError(problems);
  return {
    pointsValidDays,
    checkInTable: table,
    checkInRules: rules,
    upDown: { indexCodes, cutoff, rewardPoints },
    redemptionOptions: options,
    jobIntervalMs,
  };
};

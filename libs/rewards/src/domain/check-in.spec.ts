import { Step } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import {
  CheckInCommand,
  CheckInEvent,
  CheckInEventTypes as E,
  QualifyingRule,
  StreakTable,
  beijingDay,
  beijingDayStart,
  checkInDecider,
  ruleInForce,
} from './check-in';

const spec = deciderSpec(checkInDecider);
const loggedIn: QualifyingRule = {
  ruleId: 'CHECKIN-LOGIN',
  effectiveFrom: '2026-01-01',
  activityTypes: ['logged_in'],
  description: 'log in that day',
};
const viewed: QualifyingRule = {
  ruleId: 'CHECKIN-VIEW',
  effectiveFrom: '2026-07-01',
  activityTypes: ['watchlist_viewed', 'positions_viewed'],
  description: 'view the watchlist or positions that day',
};
const table: StreakTable = {
  basePoints: 10,
  bonuses: [
    { streakDays: 3, points: 20 },
    { streakDays: 7, points: 50 },
  ],
};
const step = (at: string): Step => ({ actorId: 'inv-1', at, channel: 'app' });
const checkIn = (at: string, met = true, rule = loggedIn): CheckInCommand => ({
  type: 'CheckIn',
  investorId: 'inv-1',
  qualifying: { rule, met },
  table,
  step: step(at),
});
const checkedIn = (day: string, streak: number): CheckInEvent => ({
  type: E.CheckedIn,
  data: {
    investorId: 'inv-1',
    day,
    streak,
    basePoints: 10,
    bonusPoints: 0,
    points: 10,
    qualifyingRule: { ruleId: 'CHECKIN-LOGIN', activityTypes: ['logged_in'] },
    step: step(`${day}T01:00:00.000Z`),
  },
});

describe('daily check-in', () => {
  it('the Beijing day starts at 16:00 UTC', () => {
    expect(beijingDay('2026-03-01T15:59:59.999Z')).toBe('2026-03-01');
    expect(beijingDay('2026-03-01T16:00:00.000Z')).toBe('2026-03-02');
    expect(beijingDayStart('2026-03-02').toISOString()).toBe('2026-03-01T16:00:00.000Z');
  });

  it('one check-in per Beijing day: 15:59 UTC and 16:00 UTC are two days; 16:00 and 23:00 UTC are one', () => {
    const first = spec.given([]).when(checkIn('2026-03-01T15:59:00.000Z')).thenEvents();
    expect(first[0].data.day).toBe('2026-03-01');
    spec
      .given(first)
      .when(checkIn('2026-03-01T16:00:00.000Z'))
      .thenMatches([{ data: { day: '2026-03-02', streak: 2 } }]);
    const evening = spec.given([]).when(checkIn('2026-03-01T16:00:00.000Z')).thenEvents();
    spec.given(evening).when(checkIn('2026-03-01T23:00:00.000Z')).thenFails('CHECKIN.ALREADY_TODAY');
  });

  it('streaks count consecutive Beijing days and pay the configured bonuses; a missed day restarts the streak', () => {
    spec
      .given([checkedIn('2026-03-01', 1), checkedIn('2026-03-02', 2)])
      .when(checkIn('2026-03-03T02:00:00.000Z'))
      .thenMatches([{ data: { streak: 3, basePoints: 10, bonusPoints: 20, points: 30 } }]);
    spec
      .given([checkedIn('2026-03-05', 6)])
      .when(checkIn('2026-03-06T02:00:00.000Z'))
      .thenMatches([{ data: { streak: 7, points: 60 } }]);
    spec
      .given([checkedIn('2026-03-01', 5)])
      .when(checkIn('2026-03-03T02:00:00.000Z'))
      .thenMatches([{ data: { streak: 1, bonusPoints: 0, points: 10 } }]);
  });

  it('without the qualifying activity the check-in is refused, naming the check-in rule in force', () => {
    const refused = spec
      .given([])
      .when(checkIn('2026-08-01T02:00:00.000Z', false, viewed))
      .thenFails('CHECKIN.NOT_QUALIFIED');
    expect(refused.kind).toBe('rule_violation');
    expect(refused.message).toContain('CHECKIN-VIEW');
    expect(refused.details).toMatchObject({
      qualifyingRule: { ruleId: 'CHECKIN-VIEW', effectiveFrom: '2026-07-01', activityTypes: ['watchlist_viewed', 'positions_viewed'] },
    });
  });

  it('the qualifying activity changes on its effective date (login early on, watchlist or positions later)', () => {
    const rules = [viewed, loggedIn];
    expect(ruleInForce(rules, '2026-06-30')?.ruleId).toBe('CHECKIN-LOGIN');
    expect(ruleInForce(rules, '2026-07-01')?.ruleId).toBe('CHECKIN-VIEW');
    expect(ruleInForce(rules, '2025-12-31')).toBeUndefined();
    spec
      .given([])
      .when(checkIn('2026-07-01T02:00:00.000Z', true, viewed))
      .thenMatches([{ data: { qualifyingRule: { ruleId: 'CHECKIN-VIEW' } } }]);
  });

  it('no rule in force: the check-in is refused, not granted', () => {
    spec
      .given([])
      .when({ ...checkIn('2026-03-01T02:00:00.000Z'), qualifying: undefined })
      .thenFails('CHECKIN.NOT_CONFIGURED');
  });
});

import { capReason, CapCount, countOne, decideCaps } from './caps';

const caps = { perDay: 2, perWeek: 3 };
// Beijing Wednesday 2026-12-02 10:00; the week starts Monday 2026-11-30.
const wed10 = '2026-12-02T02:00:00.000Z';
// 23:30 on Wednesday in Beijing is 15:30 UTC; 00:30 on Thursday in Beijing is still Wednesday in UTC.
const wedLate = '2026-12-02T15:30:00.000Z';
const thuEarly = '2026-12-02T16:30:00.000Z';
const week = '2026-11-30';
const counter = (weekCount: number, day: string, dayCount: number): CapCount => ({ week, weekCount, day, dayCount });
const r = (investorId: string, messageId = `m-${investorId}`) => ({ investorId, messageId });

describe('the cap counters decision (G2)', () => {
  it('G2: given no counter, when asked at the caps, then the message may go out; given a zero cap, then never', () => {
    expect(capReason(undefined, caps, wed10)).toBeNull();
    expect(capReason(undefined, { perDay: 0, perWeek: 5 }, wed10)).toBe('daily_cap');
    expect(capReason(undefined, { perDay: 0, perWeek: 0 }, wed10)).toBe('weekly_cap');
  });
  it('G2: given a counter at the weekly cap, then the weekly cap is the reason, even with room today', () => {
    expect(capReason(counter(3, '2026-12-01', 1), caps, wed10)).toBe('weekly_cap');
  });
  it('G2: the day is the Beijing calendar day: a counter full on Wednesday has room at 00:30 Thursday Beijing time', () => {
    const full = counter(2, '2026-12-02', 2);
    expect(capReason(full, caps, wedLate)).toBe('daily_cap');
    expect(capReason(full, caps, thuEarly)).toBeNull();
    expect(countOne(full, thuEarly)).toEqual({ week, weekCount: 3, day: '2026-12-03', dayCount: 1 });
  });
  it('G2: given counters, when a batch is decided, then each recipient is sent while their counter allows it and withheld with the cap met', () => {
    const decided = decideCaps(
      [r('a'), r('b'), r('c'), r('d')],
      { a: counter(1, '2026-12-02', 1), b: counter(2, '2026-12-02', 2), c: counter(3, '2026-12-01', 2) },
      caps,
      wed10,
    );
    expect(decided.sent).toEqual([r('a'), r('d')]);
    expect(decided.withheld).toEqual([
      { ...r('b'), reason: 'daily_cap' },
      { ...r('c'), reason: 'weekly_cap' },
    ]);
  });
  it('G2: given an investor twice in one batch, when decided, then the second message counts on the first (the daily cap of 2 holds)', () => {
    const decided = decideCaps([r('a', 'm1'), r('a', 'm2'), r('a', 'm3')], { a: counter(0, '2026-12-02', 0) }, caps, wed10);
    expect(decided.sent.map((x) => x.messageId)).toEqual(['m1', 'm2']);
    expect(decided.withheld).toEqual([{ ...r('a', 'm3'), reason: 'daily_cap' }]);
  });
  it('G2: given last week’s counter, when decided this week, then it counts from nothing', () => {
    const decided = decideCaps([r('a')], { a: { week: '2026-11-23', weekCount: 3, day: '2026-11-29', dayCount: 2 } }, caps, wed10);
    expect(decided.sent).toEqual([r('a')]);
  });
  it('G2: an investor id that is a property of every object (__proto__) is counted like any other', () => {
    expect(decideCaps([r('__proto__'), r('constructor')], {}, caps, wed10).sent).toHaveLength(2);
  });
});

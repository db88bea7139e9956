import { beijingDay, beijingWeek, DEFAULT_REACH_POLICY, parseQuietHours, quietUntil } from './policy';

describe('reach policy: Beijing calendar and quiet hours (G2)', () => {
  it('G2: given 23:30 UTC, when asked for the Beijing day, then it is the next calendar day', () => {
    expect(beijingDay('2026-12-02T23:30:00.000Z')).toBe('2026-12-03');
  });
  it('G2: given a Sunday evening in Beijing, when asked for its week, then the week starts on the Monday before', () => {
    // 2026-12-06 is a Sunday; 20:00 Beijing = 12:00 UTC.
    expect(beijingWeek('2026-12-06T12:00:00.000Z')).toBe('2026-11-30');
    // Monday 00:30 Beijing is Sunday 16:30 UTC: a new week in Beijing.
    expect(beijingWeek('2026-12-06T16:30:00.000Z')).toBe('2026-12-07');
  });
  it('G2: given quiet hours 21:00–08:00, when it is 22:00 in Beijing, then the message waits until 08:00 the next Beijing morning', () => {
    expect(quietUntil(DEFAULT_REACH_POLICY, '2026-12-02T14:00:00.000Z')).toBe('2026-12-03T00:00:00.000Z');
  });
  it('G2: given quiet hours 21:00–08:00, when it is 07:59 in Beijing, then it waits one minute', () => {
    expect(quietUntil(DEFAULT_REACH_POLICY, '2026-12-02T23:59:00.000Z')).toBe('2026-12-03T00:00:00.000Z');
  });
  it('G2: given quiet hours 21:00–08:00, when it is 08:00 or 20:59 in Beijing, then it is not quiet', () => {
    expect(quietUntil(DEFAULT_REACH_POLICY, '2026-12-03T00:00:00.000Z')).toBeNull();
    expect(quietUntil(DEFAULT_REACH_POLICY, '2026-12-03T12:59:00.000Z')).toBeNull();
  });
  it('G2: given quiet hours that do not wrap midnight (12:00–13:30), when it is 12:15, then it waits until 13:30', () => {
    const policy = { ...DEFAULT_REACH_POLICY, quietHours: { startMinute: 720, endMinute: 810 } };
    expect(quietUntil(policy, '2026-12-03T04:15:00.000Z')).toBe('2026-12-03T05:30:00.000Z');
    expect(quietUntil(policy, '2026-12-03T05:30:00.000Z')).toBeNull();
  });
  it('G2: quiet hours are configured as HH:MM-HH:MM', () => {
    expect(parseQuietHours('21:00-08:00')).toEqual({ startMinute: 1260, endMinute: 480 });
    expect(parseQuietHours('25:00-08:00')).toBeNull();
  });
});

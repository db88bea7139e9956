import { isWorkingDay, PLAIN_CALENDAR, workingDaysDeadline, WorkingDayCalendar } from './working-days';

describe('A8 working-day calendar', () => {
  it('counts five working days after a Monday signing: the deadline is the end of the next Monday, Beijing time', () => {
    expect(workingDaysDeadline('2026-03-02T02:00:00.000Z', 5, PLAIN_CALENDAR)).toBe('2026-03-09T15:59:59.999Z');
  });

  it('skips the weekend when signing on a Friday', () => {
    expect(workingDaysDeadline('2026-03-06T02:00:00.000Z', 5, PLAIN_CALENDAR)).toBe('2026-03-13T15:59:59.999Z');
  });

  it('uses the Beijing date: 23:30 Beijing on Friday is still Friday', () => {
    expect(workingDaysDeadline('2026-03-06T15:30:00.000Z', 5, PLAIN_CALENDAR)).toBe('2026-03-13T15:59:59.999Z');
  });

  it('skips configured holidays and counts configured make-up working days', () => {
    const nationalDay: WorkingDayCalendar = {
      holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
      makeUpWorkingDays: ['2026-09-27', '2026-10-10'],
    };
    expect(isWorkingDay('2026-09-27', nationalDay)).toBe(true);
    expect(isWorkingDay('2026-10-01', nationalDay)).toBe(false);
    // Signed Friday 25 Sep: working days are Sun 27 (make-up), Mon 28, Tue 29, Wed 30, then Thu 8 Oct.
    expect(workingDaysDeadline('2026-09-25T02:00:00.000Z', 5, nationalDay)).toBe('2026-10-08T15:59:59.999Z');
  });

  it('honours another UTC offset when configured', () => {
    expect(workingDaysDeadline('2026-03-02T02:00:00.000Z', 5, { ...PLAIN_CALENDAR, utcOffsetMinutes: 0 })).toBe('2026-03-09T23:59:59.999Z');
  });
});

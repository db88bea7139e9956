/**
 * The working-day calendar behind the 5-working-day rescission right (A8). Mainland calendars move weekend days into
 * working days around public holidays (调休), so the calendar is data: holidays and make-up working days, both as local
 * dates, configured per deployment and passed into the decider.
 */
import { BEIJING_OFFSET_MINUTES, endOfLocalDate, localDate } from './shared';

export interface WorkingDayCalendar {
  readonly holidays: readonly string[]; // YYYY-MM-DD, days off that would otherwise be working days
  readonly makeUpWorkingDays: readonly string[]; // YYYY-MM-DD, weekend days that are working days
  readonly utcOffsetMinutes?: number; // default Beijing (+08:00)
}

export const PLAIN_CALENDAR: WorkingDayCalendar = { holidays: [], makeUpWorkingDays: [] };

const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

export const isWorkingDay = (date: string, calendar: WorkingDayCalendar): boolean => {
  if (calendar.makeUpWorkingDays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/**
 * The instant a period of `workingDays` working days that starts at `fromIso` ends. The starting day does not count
 * (a contract signed on Monday has its first rescission working day on Tuesday); the period ends at the end of the
 * last working day, local time.
 */
export const workingDaysDeadline = (fromIso: string, workingDays: number, calendar: WorkingDayCalendar): string => {
  const offset = calendar.utcOffsetMinutes ?? BEIJING_OFFSET_MINUTES;
  let date = localDate(fromIso, offset);
  let counted = 0;
  while (counted < workingDays) {
    date = nextDate(date);
    if (isWorkingDay(date, calendar)) counted++;
  }
  return endOfLocalDate(date, offset);
};

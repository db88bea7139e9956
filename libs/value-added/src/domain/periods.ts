/**
 * Calendar-correct billing periods. Periods are counted from the subscription's anchor, not chained from the previous
 * end, so a subscription that started on 31 January renews on 29 February and then on 31 March again. Calendar days
 * are those of the business time zone (China Standard Time has no daylight saving, so a fixed offset is exact).
 */
export type RecurringPeriod = 'month' | 'quarter' | 'year';

export const MONTHS: Record<RecurringPeriod, number> = { month: 1, quarter: 3, year: 12 };

export const CHINA_OFFSET_MINUTES = 8 * 60;

const MINUTE = 60_000;
export const DAY_MS = 24 * 60 * MINUTE;

const daysInMonth = (year: number, monthIndex: number): number => new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();

/** The instant `months` calendar months after `anchorIso`, with the day clamped to the end of shorter months. */
export const addMonths = (anchorIso: string, months: number, offsetMinutes = CHINA_OFFSET_MINUTES): string => {
  const local = new Date(Date.parse(anchorIso) + offsetMinutes * MINUTE);
  const target = local.getUTCMonth() + months;
  const year = local.getUTCFullYear() + Math.floor(target / 12);
  const monthIndex = ((target % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysInMonth(year, monthIndex));
  const shifted = Date.UTC(
    year,
    monthIndex,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(shifted - offsetMinutes * MINUTE).toISOString();
};

/** End of the `index`-th period (0-based) of a subscription anchored at `anchorIso`. */
export const periodEnd = (anchorIso: string, period: RecurringPeriod, index: number, offsetMinutes = CHINA_OFFSET_MINUTES): string =>
  addMonths(anchorIso, MONTHS[period] * (index + 1), offsetMinutes);

export const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();

/** The business-calendar date (YYYY-MM-DD) of an instant, for daily limits. */
export const businessDate = (iso: string, offsetMinutes = CHINA_OFFSET_MINUTES): string =>
  new Date(Date.parse(iso) + offsetMinutes * MINUTE).toISOString().slice(0, 10);

/** Unused share of a paid period, in minor units rounded down (the customer never gets more than they paid). */
export const proratedRemainder = (paidMinor: number, fromIso: string, toIso: string, atIso: string): number => {
  const total = Date.parse(toIso) - Date.parse(fromIso);
  const remaining = Math.min(Math.max(Date.parse(toIso) - Date.parse(atIso), 0), total);
  return total <= 0 ? 0 : Math.floor((paidMinor * remaining) / total);
};

import { addMonths, businessDate, periodEnd, proratedRemainder } from './periods';

// 00:00 China time is 16:00 UTC the day before.
const cst = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();

describe('billing periods', () => {
  it('a month after 31 January is the last day of February (leap year)', () => {
    expect(addMonths(cst('2028-01-31'), 1)).toBe(cst('2028-02-29'));
  });
  it('periods are counted from the anchor, so the day comes back after a short month', () => {
    const anchor = cst('2027-01-31');
    expect([0, 1, 2].map((i) => periodEnd(anchor, 'month', i))).toEqual([cst('2027-02-28'), cst('2027-03-31'), cst('2027-04-30')]);
  });
  it('quarters and years', () => {
    expect(periodEnd(cst('2026-11-30'), 'quarter', 0)).toBe(cst('2027-02-28'));
    expect(periodEnd(cst('2028-02-29'), 'year', 0)).toBe(cst('2029-02-28'));
    expect(periodEnd(cst('2028-02-29'), 'year', 3)).toBe(cst('2032-02-29'));
  });
  it('the calendar is the business time zone, not UTC', () => {
    // 31 Jan 20:00 UTC is already 1 Feb in China: one month later is 1 March China time.
    expect(addMonths('2027-01-31T20:00:00.000Z', 1)).toBe('2027-02-28T20:00:00.000Z');
    expect(businessDate('2027-01-31T20:00:00.000Z')).toBe('2027-02-01');
  });
  it('prorated remainder rounds down', () => {
    expect(proratedRemainder(3000, '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z', '2026-01-21T00:00:00Z')).toBe(1000);
    expect(proratedRemainder(1000, '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-02T00:00:00Z')).toBe(666);
    expect(proratedRemainder(1000, '2026-01-01T00:00:00Z', '2026-01-04T00:00:00Z', '2026-02-02T00:00:00Z')).toBe(0);
  });
});

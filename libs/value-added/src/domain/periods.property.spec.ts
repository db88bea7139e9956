import fc from 'fast-check';
import { businessDate, periodEnd } from './periods';

const anchors = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

describe('billing period properties', () => {
  it('periods are strictly increasing and each month lasts 28 to 31 days', () => {
    fc.assert(
      fc.property(anchors, fc.integer({ min: 0, max: 40 }), (anchor, index) => {
        const start = index === 0 ? anchor : periodEnd(anchor, 'month', index - 1);
        const days = (Date.parse(periodEnd(anchor, 'month', index)) - Date.parse(start)) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(28);
        expect(days).toBeLessThanOrEqual(31);
      }),
    );
  });

  it('the n-th period ends on the anchor day of month, or the last day of a shorter month', () => {
    fc.assert(
      fc.property(anchors, fc.integer({ min: 0, max: 40 }), (anchor, index) => {
        const anchorDay = Number(businessDate(anchor).slice(8, 10));
        const end = businessDate(periodEnd(anchor, 'month', index));
        const endDay = Number(end.slice(8, 10));
        const [year, month] = end.split('-').map(Number);
        const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
        expect(endDay).toBe(Math.min(anchorDay, lastDay));
      }),
    );
  });

  it('a quarter is three months and a year twelve', () => {
    fc.assert(
      fc.property(anchors, fc.integer({ min: 0, max: 10 }), (anchor, index) => {
        expect(periodEnd(anchor, 'quarter', index)).toBe(periodEnd(anchor, 'month', index * 3 + 2));
        expect(periodEnd(anchor, 'year', index)).toBe(periodEnd(anchor, 'month', index * 12 + 11));
      }),
    );
  });
});

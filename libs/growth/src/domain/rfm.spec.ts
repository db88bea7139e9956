import { RFM_SEGMENTS } from './segments';
import { quintileCuts, scoreAgainst, scoreRfm, segmentOf } from './rfm';

const asOf = new Date('2026-12-01T00:00:00Z');
const daysAgo = (days: number) => new Date(asOf.getTime() - days * 86_400_000);

describe('RFM scoring from payments', () => {
  it('quintile cut points are the nearest-rank 20th…80th percentiles and scores run 1 to 5', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(quintileCuts(values)).toEqual([2, 4, 6, 8]);
    expect(values.map((value) => scoreAgainst(value, quintileCuts(values)))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('given ten payers from recent, frequent and big to long ago, rare and small, then champions lead and the lost trail', () => {
    const payers = Array.from({ length: 10 }, (_, i) => ({
      investorId: `p${i}`,
      lastPaymentAt: daysAgo(1 + i * 30),
      payments: 10 - i,
      monetaryMinor: (10 - i) * 10_000,
    }));
    const scores = scoreRfm(payers, asOf);
    expect(scores[0]).toEqual({ investorId: 'p0', r: 5, f: 5, m: 5, segment: 'champions' });
    expect(scores[9]).toEqual({ investorId: 'p9', r: 1, f: 1, m: 1, segment: 'lost' });
    expect(scores.map((score) => score.segment)).toEqual([
      'champions',
      'champions',
      'champions',
      'champions',
      'loyal',
      'loyal',
      'hibernating',
      'hibernating',
      'lost',
      'lost',
    ]);
  });

  it('a recent first-time small payer is new; an old big frequent payer is at risk', () => {
    expect(segmentOf(5, 1, 1)).toBe('new');
    expect(segmentOf(1, 5, 5)).toBe('at_risk');
    expect(segmentOf(2, 1, 2)).toBe('hibernating');
  });

  it('every score combination names one of the RFM segments', () => {
    for (let r = 1; r <= 5; r += 1)
      for (let f = 1; f <= 5; f += 1) for (let m = 1; m <= 5; m += 1) expect(RFM_SEGMENTS).toContain(segmentOf(r, f, m));
  });

  it('ties score alike: equal payers share a quintile', () => {
    const payers = Array.from({ length: 5 }, (_, i) => ({
      investorId: `t${i}`,
      lastPaymentAt: daysAgo(3),
      payments: 2,
      monetaryMinor: 500,
    }));
    expect(new Set(scoreRfm(payers, asOf).map((score) => `${score.r}${score.f}${score.m}`)).size).toBe(1);
  });
});

import { roundTermsFor } from './round-terms';

const settings = { indexCodes: ['000300.SH'], cutoff: '09:30', rewardPoints: 20 };

describe('up/down rounds', () => {
  it('the cut-off is Beijing wall-clock time on the trading day', () => {
    expect(roundTermsFor(settings, '000300.SH', '2026-12-03', '2026-12-02')).toMatchObject({
      roundId: '000300.SH-2026-12-03',
      cutoffAt: '2026-12-03T01:30:00.000Z',
    });
  });
  it('no round on a weekend, an unknown index, a date that is not one, or more than a week ahead', () => {
    expect(roundTermsFor(settings, '000300.SH', '2026-12-05', '2026-12-02')).toMatchObject({ code: 'UPDOWN.NOT_A_TRADING_DAY' });
    expect(roundTermsFor(settings, 'FOO', '2026-12-03', '2026-12-02')).toMatchObject({ code: 'UPDOWN.UNKNOWN_INDEX' });
    expect(roundTermsFor(settings, '000300.SH', '2026-02-31', '2026-02-02')).toMatchObject({ code: 'UPDOWN.DAY_INVALID' });
    expect(roundTermsFor(settings, '000300.SH', '2026-12-14', '2026-12-02')).toMatchObject({ code: 'UPDOWN.TOO_EARLY' });
  });
});

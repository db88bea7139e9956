import { SandboxMarketData, officialClose } from './market-data';

describe('market data (one port for reach triggers and the up/down game)', () => {
  it('reports an index day with its change in percent, to two decimals; nothing for a day it was not told', async () => {
    const feed = new SandboxMarketData();
    feed.setIndexDay('000001.SH', '2026-12-02', 3300, 3382.5);
    expect(await feed.indexDay('000001.SH', '2026-12-02')).toEqual({
      indexCode: '000001.SH',
      date: '2026-12-02',
      previousClose: 3300,
      last: 3382.5,
      changePercent: 2.5,
      closed: false,
    });
    expect(await feed.indexDay('000001.SH', '2026-12-03')).toBeNull();
    expect(await feed.indexDay('000300.SH', '2026-12-02')).toBeNull();
  });

  it('a level during the session is no official close; a published close is', async () => {
    const feed = new SandboxMarketData();
    feed.setIndexDay('000300.SH', '2028-01-06', 3900, 3925);
    expect(officialClose(await feed.indexDay('000300.SH', '2028-01-06'))).toBeNull();
    feed.publishClose('000300.SH', '2028-01-06', 3900, 3950.12);
    expect(officialClose(await feed.indexDay('000300.SH', '2028-01-06'))).toMatchObject({
      last: 3950.12,
      closed: true,
      changePercent: 1.29,
    });
    expect(officialClose(null)).toBeNull();
  });

  it('refuses levels that are not positive numbers', () => {
    expect(() => new SandboxMarketData().setIndexDay('000001.SH', '2026-12-02', 0, 3300)).toThrow(/positive/);
  });
});

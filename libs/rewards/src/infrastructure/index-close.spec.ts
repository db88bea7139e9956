import { SandboxMarketData } from '@app/market-data';
import { indexCloseOf } from './index-close';

describe("the up/down game's close from the market-data port", () => {
  it('settles from an official close only, in hundredths of a point', async () => {
    const market = new SandboxMarketData();
    market.setIndexDay('000300.SH', '2028-01-06', 3900, 3925.5);
    expect(indexCloseOf(await market.indexDay('000300.SH', '2028-01-06'))).toBeNull();
    market.publishClose('000300.SH', '2028-01-06', 3900, 3950.12);
    expect(indexCloseOf(await market.indexDay('000300.SH', '2028-01-06'))).toEqual({
      indexCode: '000300.SH',
      tradingDay: '2028-01-06',
      previousCloseCenti: 390000,
      closeCenti: 395012,
    });
    expect(indexCloseOf(await market.indexDay('000300.SH', '2028-01-07'))).toBeNull();
  });
});

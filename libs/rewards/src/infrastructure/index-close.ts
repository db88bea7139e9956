import { IndexDay, officialClose } from '@app/market-data';
import { IndexClose } from '../domain/up-down-game';

/**
 * The up/down game's reading of the market-data port: a round is settled from the day's official close only (a level
 * during the session settles nothing), in hundredths of a point so that the recorded settlement holds integers.
 */
export const indexCloseOf = (day: IndexDay | null): IndexClose | null => {
  const close = officialClose(day);
  return close
    ? {
        indexCode: close.indexCode,
        tradingDay: close.date,
        previousCloseCenti: Math.round(close.previousClose * 100),
        closeCenti: Math.round(close.last * 100),
      }
    : null;
};

import { DomainError, conflict } from '@app/common';
import { RoundTerms, roundIdOf } from './up-down-game';
import { beijingDayStart } from './check-in';

export interface UpDownSettings {
  readonly indexCodes: readonly string[];
  /** Beijing wall-clock time (HH:MM) on the trading day after which no prediction is taken. */
  readonly cutoff: string;
  readonly rewardPoints: number;
}

/** The round for an index on a Beijing date; weekends have no close, so no round (holidays: see README). */
export const roundTermsFor = (settings: UpDownSettings, indexCode: string, tradingDay: string): RoundTerms | DomainError => {
  if (!settings.indexCodes.includes(indexCode)) return conflict('UPDOWN.UNKNOWN_INDEX', `no game on ${indexCode}; indexes: ${settings.indexCodes.join(', ')}`);
  const weekday = new Date(`${tradingDay}T00:00:00.000Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return conflict('UPDOWN.NOT_A_TRADING_DAY', `${tradingDay} is a weekend`);
  const [hours, minutes] = settings.cutoff.split(':').map(Number);
  const cutoffAt = new Date(beijingDayStart(tradingDay).getTime() + (hours * 60 + minutes) * 60_000).toISOString();
  return { roundId: roundIdOf(indexCode, tradingDay), indexCode, tradingDay, cutoffAt, rewardPoints: settings.rewardPoints };
};

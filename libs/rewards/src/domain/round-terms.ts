import { DomainError, conflict, invalid } from '@app/common';
import { RoundTerms, roundIdOf } from './up-down-game';
import { beijingDayStart } from './check-in';

export interface UpDownSettings {
  readonly indexCodes: readonly string[];
  /** Beijing wall-clock time (HH:MM) on the trading day after which no prediction is taken. */
  readonly cutoff: string;
  readonly rewardPoints: number;
}

/** How far ahead a round takes predictions. */
export const ROUND_DAYS_AHEAD = 7;

/**
 * The round for an index on a Beijing date, asked on `today` (Beijing): a real calendar date, at most a week ahead;
 * weekends have no close, so no round (holidays: see README).
 */
export const roundTermsFor = (settings: UpDownSettings, indexCode: string, tradingDay: string, today: string): RoundTerms | DomainError => {
  if (!settings.indexCodes.includes(indexCode))
    return conflict('UPDOWN.UNKNOWN_INDEX', `no game on ${indexCode}; indexes: ${settings.indexCodes.join(', ')}`);
  const parsed = Date.parse(`${tradingDay}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(tradingDay) || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== tradingDay) {
    return invalid('UPDOWN.DAY_INVALID', `${tradingDay} is not a calendar date`);
  }
  if (parsed > Date.parse(`${today}T00:00:00.000Z`) + ROUND_DAYS_AHEAD * 86_400_000)
    return conflict('UPDOWN.TOO_EARLY', `rounds take predictions at most ${ROUND_DAYS_AHEAD} days ahead`);
  const weekday = new Date(`${tradingDay}T00:00:00.000Z`).getUTCDay();
  if (weekday === 0 || weekday === 6) return conflict('UPDOWN.NOT_A_TRADING_DAY', `${tradingDay} is a weekend`);
  const [hours, minutes] = settings.cutoff.split(':').map(Number);
  const cutoffAt = new Date(beijingDayStart(tradingDay).getTime() + (hours * 60 + minutes) * 60_000).toISOString();
  return { roundId: roundIdOf(indexCode, tradingDay), indexCode, tradingDay, cutoffAt, rewardPoints: settings.rewardPoints };
};

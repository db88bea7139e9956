/**
 * Market data: one port for what the contexts ask of the market, with one sandbox adapter. Reach's campaign trigger
 * asks how far an index has moved in a Beijing trading day (seed 004: "the index rises by X% in a day → remind
 * inactive users"); the rewards context's up/down game asks for the day's official close. Both are the same fact: an
 * index's day, its previous close and its latest level, closed or not.
 */
import { Injectable } from '@nestjs/common';

export interface IndexDay {
  readonly indexCode: string;
  /** Beijing trading date, YYYY-MM-DD. */
  readonly date: string;
  /** The previous trading day's official close, in index points. */
  readonly previousClose: number;
  /** The latest level in index points: the official close once `closed`. */
  readonly last: number;
  /** (last − previousClose) / previousClose × 100, to two decimals. */
  readonly changePercent: number;
  /** The session is over and `last` is the official close. */
  readonly closed: boolean;
}

export abstract class MarketData {
  /** The index's day on that date, or null when there is no quote (a holiday, a feed gap, a day not begun). */
  abstract indexDay(indexCode: string, date: string): Promise<IndexDay | null>;
}

/** The index's official close of a day, or null while the session runs or there is no quote. */
export const officialClose = (day: IndexDay | null): IndexDay | null => (day?.closed ? day : null);

/**
 * The sandbox feed: it knows only what it is told (by tests, or by the operator in a demo) and invents nothing. A
 * level told during the session can be told again; a close is final for the day.
 */
@Injectable()
export class SandboxMarketData extends MarketData {
  private readonly days = new Map<string, IndexDay>();

  /** The index's level during the session (`closed` false) or at its close. */
  setIndexDay(indexCode: string, date: string, previousClose: number, last: number, options: { closed?: boolean } = {}): IndexDay {
    if (!(previousClose > 0) || !(last > 0)) throw new Error(`index levels are positive numbers (${previousClose}, ${last})`);
    const day: IndexDay = {
      indexCode,
      date,
      previousClose,
      last,
      changePercent: Math.round(((last - previousClose) / previousClose) * 10_000) / 100,
      closed: options.closed ?? false,
    };
    this.days.set(`${indexCode}@${date}`, day);
    return day;
  }

  /** The day's official close. */
  publishClose(indexCode: string, date: string, previousClose: number, close: number): IndexDay {
    return this.setIndexDay(indexCode, date, previousClose, close, { closed: true });
  }

  async indexDay(indexCode: string, date: string): Promise<IndexDay | null> {
    return this.days.get(`${indexCode}@${date}`) ?? null;
  }
}

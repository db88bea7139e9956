/**
 * Market data for triggers (the seed: when the index rises by X% in a day, remind inactive users). A port with a
 * sandbox feed; the rewards context's up/down game needs the same facts, and the two ports are to become one.
 */
import { Injectable } from '@nestjs/common';

export interface IndexDay {
  readonly indexCode: string;
  /** Beijing trading date, YYYY-MM-DD. */
  readonly date: string;
  readonly previousClose: number;
  /** The latest level (the close once the session is over). */
  readonly last: number;
  /** (last − previousClose) / previousClose × 100. */
  readonly changePercent: number;
}

export abstract class MarketData {
  /** The index's day on that date, or null when there is no quote (a holiday, a feed gap). */
  abstract indexDay(indexCode: string, date: string): Promise<IndexDay | null>;
}

/** A feed that knows only what it was told; levels are in index points. */
@Injectable()
export class SandboxMarketData extends MarketData {
  private readonly days = new Map<string, IndexDay>();

  setIndexDay(indexCode: string, date: string, previousClose: number, last: number): IndexDay {
    const day = {
      indexCode,
      date,
      previousClose,
      last,
      changePercent: Math.round(((last - previousClose) / previousClose) * 10_000) / 100,
    };
    this.days.set(`${indexCode}@${date}`, day);
    return day;
  }

  async indexDay(indexCode: string, date: string): Promise<IndexDay | null> {
    return this.days.get(`${indexCode}@${date}`) ?? null;
  }
}

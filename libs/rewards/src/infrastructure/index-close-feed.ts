import { Injectable } from '@nestjs/common';
import { IndexClose } from '../domain/up-down-game';

/**
 * The market data the up/down game is settled from: an index's official close for a trading day, or null while there
 * is none yet. Kept to the one question the game asks (the reach context has a similar port for its triggers; they
 * are to be unified into one market-data context).
 */
export abstract class IndexCloseFeed {
  abstract closeOf(indexCode: string, tradingDay: string): Promise<IndexClose | null>;
}

/** The sandbox feed: closes are published to it (by tests, by the operator in a demo); nothing else is invented. */
@Injectable()
export class SandboxIndexCloseFeed extends IndexCloseFeed {
  private readonly closes = new Map<string, IndexClose>();

  publish(close: IndexClose): void {
    this.closes.set(`${close.indexCode}|${close.tradingDay}`, close);
  }

  async closeOf(indexCode: string, tradingDay: string): Promise<IndexClose | null> {
    return this.closes.get(`${indexCode}|${tradingDay}`) ?? null;
  }
}

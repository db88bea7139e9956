/**
 * G6, never rig the experience: simulated trading fills every order by one versioned model, the same for every user.
 * The seed article suggests tuning fills for newcomers (cheap initial positions, pushed limit-up stocks) to convert
 * them; this model takes only the order and the market, so no user, segment or cohort can change an outcome. A
 * change of model is a new version, recorded by every simulated-trading prop that relies on it.
 */
export const FILL_MODEL_VERSION = 'sim-fill-1';

export interface SimulatedOrder {
  readonly side: 'buy' | 'sell';
  readonly quantity: number;
  /** Limit price in the instrument's minor unit; absent for a market order. */
  readonly limitPriceMinor?: number;
}

/** The market as the feed shows it when the order arrives (prices in minor units, sizes in shares). */
export interface SimulatedQuote {
  readonly bidMinor: number;
  readonly askMinor: number;
  readonly bidSize: number;
  readonly askSize: number;
  /** The day's limit-up / limit-down prices: nothing trades beyond them. */
  readonly limitUpMinor: number;
  readonly limitDownMinor: number;
}

export interface SimulatedFill {
  readonly fillModelVersion: typeof FILL_MODEL_VERSION;
  readonly filledQuantity: number;
  readonly priceMinor: number | null;
}

/**
 * Fills at the opposite side of the book, up to its displayed size, never beyond the limit price or the day's price
 * limits; a buy at limit-up with no ask (封板) and a sell at limit-down with no bid do not fill. Pure and total.
 */
export const simulatedFill = (order: SimulatedOrder, quote: SimulatedQuote): SimulatedFill => {
  const buying = order.side === 'buy';
  const price = buying ? quote.askMinor : quote.bidMinor;
  const available = buying ? quote.askSize : quote.bidSize;
  const outOfLimits = price > quote.limitUpMinor || price < quote.limitDownMinor;
  const beyondLimit = order.limitPriceMinor !== undefined && (buying ? price > order.limitPriceMinor : price < order.limitPriceMinor);
  const quantity = Number.isSafeInteger(order.quantity) && order.quantity > 0 ? order.quantity : 0;
  if (available <= 0 || outOfLimits || beyondLimit || quantity === 0)
    return { fillModelVersion: FILL_MODEL_VERSION, filledQuantity: 0, priceMinor: null };
  return { fillModelVersion: FILL_MODEL_VERSION, filledQuantity: Math.min(quantity, available), priceMinor: price };
};

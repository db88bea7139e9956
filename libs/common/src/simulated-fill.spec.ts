import { FILL_MODEL_VERSION, SimulatedQuote, simulatedFill } from './simulated-fill';

const quote: SimulatedQuote = { bidMinor: 1000, askMinor: 1001, bidSize: 500, askSize: 300, limitUpMinor: 1100, limitDownMinor: 900 };
const SEGMENTS = ['newcomer', 'champions', 'at_risk', 'hibernating', 'lowest_category', 'professional'];

describe('simulated fills (G6)', () => {
  it('G6: the same order under any user segment gets the same fill (the model takes no user or segment)', () => {
    // Whatever a caller attaches to the order (a segment, a cohort, a user), the fill is the same: the model reads none of it.
    const order = { side: 'buy' as const, quantity: 1000, limitPriceMinor: 1005 };
    const fills = SEGMENTS.map((segment) =>
      simulatedFill({ ...order, ...({ segment, userId: `u-${segment}`, newcomer: segment === 'newcomer' } as object) }, quote),
    );
    expect(new Set(fills.map((fill) => JSON.stringify(fill))).size).toBe(1);
    expect(fills[0]).toEqual({ fillModelVersion: FILL_MODEL_VERSION, filledQuantity: 300, priceMinor: 1001 });
    expect(simulatedFill.length).toBe(2);
  });

  it('G6: fills at the book, never beyond the limit price or the day’s limits (no gifted below-market fills)', () => {
    expect(simulatedFill({ side: 'buy', quantity: 10, limitPriceMinor: 1000 }, quote)).toMatchObject({
      filledQuantity: 0,
      priceMinor: null,
    });
    expect(simulatedFill({ side: 'sell', quantity: 10 }, quote)).toMatchObject({ filledQuantity: 10, priceMinor: 1000 });
    expect(simulatedFill({ side: 'buy', quantity: 10 }, { ...quote, askMinor: 1100, askSize: 0 })).toMatchObject({ filledQuantity: 0 });
    expect(simulatedFill({ side: 'buy', quantity: 10 }, { ...quote, askMinor: 1200 })).toMatchObject({ filledQuantity: 0 });
  });
});

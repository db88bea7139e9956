import { deciderSpec } from './testing';
import {
  DEFAULT_TIPPING_POLICY,
  InvestorTipsCommand,
  InvestorTipsEvent,
  InvestorTipsEventTypes,
  investorTipsDecider,
  tipRefusal,
  tippedOnDay,
} from './tipping-rules';

const spec = deciderSpec(investorTipsDecider);
const at = '2026-11-23T02:00:00.000Z';
const count = (
  tipId: string,
  amountMinor: number,
  source: 'value-added' | 'community',
  businessDate = '2026-11-23',
): InvestorTipsCommand => ({
  type: 'CountTip',
  tipId,
  source,
  businessDate,
  amountMinor,
  currency: 'CNY',
  at,
});
const counted = (
  tipId: string,
  amountMinor: number,
  source: 'value-added' | 'community',
  businessDate = '2026-11-23',
): InvestorTipsEvent => ({
  type: InvestorTipsEventTypes.Counted,
  data: { tipId, source, businessDate, amountMinor, currency: 'CNY', at },
});
const stateOf = (events: readonly InvestorTipsEvent[]) => events.reduce(investorTipsDecider.evolve, investorTipsDecider.initialState);

describe('V4 across contexts: the investor’s one tipping stream', () => {
  it('V4: counts a tip once, whichever context took it', () => {
    spec
      .given([])
      .when(count('t1', 500, 'community'))
      .then([counted('t1', 500, 'community')]);
    spec
      .given([counted('t1', 500, 'community')])
      .when(count('t1', 500, 'community'))
      .then([]);
  });

  it('V4: one daily cap for value-added and community tips together', () => {
    const state = stateOf([counted('v1', 60_000, 'value-added'), counted('c1', 30_000, 'community')]);
    expect(tippedOnDay(state, '2026-11-23')).toBe(90_000);
    const attempt = { amountMinor: 20_000, currency: 'CNY', investorAge: 30, tippedTodayMinor: tippedOnDay(state, '2026-11-23') };
    expect(tipRefusal(DEFAULT_TIPPING_POLICY, attempt)).toMatchObject({ code: 'TIPPING.DAILY_CAP_EXCEEDED', rule: 'V4' });
    expect(tipRefusal(DEFAULT_TIPPING_POLICY, { ...attempt, amountMinor: 10_000 })).toBeNull();
  });

  it('V4: the cap is per business day', () => {
    const state = stateOf([counted('v1', 100_000, 'value-added', '2026-11-23')]);
    expect(tippedOnDay(state, '2026-11-24')).toBe(0);
  });

  it('V4: a tip whose payment failed is released, once, and no longer counts', () => {
    const history = [counted('v1', 60_000, 'value-added'), counted('c1', 30_000, 'community')];
    spec
      .given(history)
      .when({ type: 'ReleaseTip', tipId: 'c1', reason: 'declined', at })
      .then([
        {
          type: InvestorTipsEventTypes.Released,
          data: { tipId: 'c1', businessDate: '2026-11-23', amountMinor: 30_000, reason: 'declined', at },
        },
      ]);
    const released = spec.given(history).when({ type: 'ReleaseTip', tipId: 'c1', reason: 'declined', at }).thenEvents();
    expect(tippedOnDay(stateOf([...history, ...released]), '2026-11-23')).toBe(60_000);
    spec
      .given([...history, ...released])
      .when({ type: 'ReleaseTip', tipId: 'c1', reason: 'declined', at })
      .then([]);
    spec.given(history).when({ type: 'ReleaseTip', tipId: 'unknown', reason: 'declined', at }).then([]);
  });

  it('V4: minors are refused by the same rule in every context', () => {
    expect(tipRefusal(DEFAULT_TIPPING_POLICY, { amountMinor: 500, currency: 'CNY', investorAge: 17, tippedTodayMinor: 0 })).toMatchObject({
      code: 'TIPPING.MINOR',
      rule: 'V4',
    });
  });
});

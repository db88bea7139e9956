import { deciderSpec } from '@app/common/testing';
import { DEFAULT_TIPPING_POLICY, TipCommand, TipEvent, TipEventTypes as E, tippingDecider } from './tipping';

const spec = deciderSpec(tippingDecider);
const policy = { ...DEFAULT_TIPPING_POLICY, minMinor: 100, maxMinor: 10_000, dailyCapMinor: 20_000 };
const at = '2026-11-23T10:00:00.000Z';
const tip = (tipId: string, amountMinor: number, extra: Partial<TipCommand> = {}): TipCommand =>
  ({
    type: 'SendTip',
    tipId,
    investorId: 'inv-1',
    targetListingId: 'stream-1',
    targetKind: 'live_stream_tipping_target',
    amountMinor,
    currency: 'CNY',
    message: '讲得好',
    investorAge: 30,
    tippedTodayMinor: 0,
    paymentId: `pay-${tipId}`,
    policy,
    at,
    ...extra,
  }) as TipCommand;
const sent = (tipId: string, amountMinor: number, when = at, businessDate = '2026-11-23'): TipEvent => ({
  type: E.Sent,
  data: {
    tipId,
    investorId: 'inv-1',
    targetListingId: 'stream-1',
    amountMinor,
    currency: 'CNY',
    message: '讲得好',
    paymentId: `pay-${tipId}`,
    businessDate,
    at: when,
  },
});

describe('tipping (V4)', () => {
  it('V4: a tip within bounds is sent', () => {
    spec
      .given([])
      .when(tip('t1', 5000))
      .then([sent('t1', 5000)]);
  });
  it.each([99, 10_001])('V4: a tip of %d is outside the bounds', (amount) => {
    spec.given([]).when(tip('t1', amount)).thenFails('TIPPING.AMOUNT_OUT_OF_BOUNDS', 'V4');
  });
  it('V4: minors cannot tip', () => {
    spec
      .given([])
      .when(tip('t1', 5000, { investorAge: 17 }))
      .thenFails('TIPPING.MINOR', 'V4');
  });
  it('V4: the per-investor daily cap counts what the investor tipped that day in every context (tippedTodayMinor)', () => {
    const error = spec
      .given([])
      .when(tip('t3', 1_001, { tippedTodayMinor: 19_000 }))
      .thenFails('TIPPING.DAILY_CAP_EXCEEDED', 'V4');
    expect(error.details).toEqual({ dailyCapMinor: 20_000, tippedTodayMinor: 19_000 });
    spec
      .given([])
      .when(tip('t3', 1_000, { tippedTodayMinor: 19_000 }))
      .thenMatches([{ type: E.Sent }]);
  });
  it('V4: the business day is China time', () => {
    spec
      .given([])
      .when(tip('t3', 5_000, { at: '2026-11-23T16:00:00.000Z' }))
      .thenMatches([{ type: E.Sent, data: { businessDate: '2026-11-24' } }]);
  });
  it('V3: the tip message goes through the content guard', () => {
    spec
      .given([])
      .when(tip('t1', 5000, { message: '跟我买，必涨！' }))
      .thenFails('CONTENT.PROHIBITED_PHRASE', 'V3');
  });
  it('V4: only live-stream tipping targets receive tips', () => {
    spec
      .given([])
      .when(tip('t1', 5000, { targetKind: 'level2_data' }))
      .thenFails('TIPPING.NOT_A_TIPPING_TARGET', 'V4');
  });
  it('a repeated tip and repeated payment callbacks are no-ops', () => {
    spec
      .given([sent('t1', 5000)])
      .when(tip('t1', 5000))
      .then([]);
    const paid: TipEvent = { type: E.Paid, data: { tipId: 't1', investorId: 'inv-1', at } };
    spec
      .given([sent('t1', 5000)])
      .when({ type: 'ConfirmTipPayment', tipId: 't1', at })
      .then([paid]);
    spec
      .given([sent('t1', 5000), paid])
      .when({ type: 'ConfirmTipPayment', tipId: 't1', at })
      .then([]);
  });
});

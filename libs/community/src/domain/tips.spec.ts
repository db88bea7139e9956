import { DEFAULT_TIPPING_POLICY } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { CommunityTipCommand, CommunityTipEventTypes, communityTipsDecider } from './tips';

const spec = deciderSpec(communityTipsDecider);
const step = (at = '2026-03-02T02:00:00.000Z') => ({ actorId: 'i1', at, channel: 'app' as const });
const send = (
  tipId: string,
  amountMinor: number,
  over: Partial<Extract<CommunityTipCommand, { type: 'SendTip' }>> = {},
): CommunityTipCommand => ({
  type: 'SendTip',
  tipId,
  investorId: 'i1',
  target: { kind: 'live_session', id: 's1' },
  hostId: 'h1',
  amount: { amountMinor, currency: 'CNY' },
  message: null,
  investorAge: 30,
  tippedTodayMinor: 0,
  paymentId: `pay-${tipId}`,
  policy: DEFAULT_TIPPING_POLICY,
  step: step(),
  ...over,
});

describe('community tips (V4)', () => {
  it('V4: minors cannot tip', () => {
    spec
      .given([])
      .when(send('t1', 500, { investorAge: 17 }))
      .thenFails('TIPPING.MINOR', 'V4');
  });
  it('V4: the amount is within bounds', () => {
    spec.given([]).when(send('t1', 99)).thenFails('TIPPING.AMOUNT_OUT_OF_BOUNDS', 'V4');
  });
  it('V3: the tip message passes the content guard', () => {
    spec
      .given([])
      .when(send('t1', 500, { message: '跟我买稳赚不赔' }))
      .thenFails('CONTENT.PROHIBITED_PHRASE', 'V3');
  });
  it('V4: the daily cap counts what the investor tipped that day in every context (tippedTodayMinor)', () => {
    spec
      .given([])
      .when(send('t3', 100, { tippedTodayMinor: 100_000 }))
      .thenFails('TIPPING.DAILY_CAP_EXCEEDED', 'V4');
    spec
      .given([])
      .when(send('t3', 100, { tippedTodayMinor: 99_900 }))
      .thenMatches([{ type: CommunityTipEventTypes.Sent, data: { businessDate: '2026-03-02' } }]);
  });
  it('E1: only a paid tip is reversed, once', () => {
    const sent = spec.given([]).when(send('t1', 500)).thenEvents();
    spec
      .given(sent)
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'refund', reason: 'r', refundId: 'rf', refundedMinor: null, step: step() })
      .thenFails('COMMUNITY.TIP_NOT_PAID', 'E1');
    const paid = spec.given(sent).when({ type: 'ConfirmTip', tipId: 't1', step: step() }).thenEvents();
    const reversed = spec
      .given([...sent, ...paid])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'refund', reason: 'r', refundId: 'rf', refundedMinor: null, step: step() })
      .thenEvents();
    expect(reversed).toMatchObject([
      { type: CommunityTipEventTypes.Reversed, data: { hostId: 'h1', paymentId: 'pay-t1', amount: { amountMinor: 500 } } },
    ]);
    spec
      .given([...sent, ...paid, ...reversed])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'chargeback', reason: 'r', refundId: null, refundedMinor: null, step: step() })
      .then([]);
  });
  it('E1: partial refunds reverse their part; the tip is reversed once wholly given back; a chargeback takes the rest', () => {
    const sent = spec.given([]).when(send('t1', 500)).thenEvents();
    const paid = spec.given(sent).when({ type: 'ConfirmTip', tipId: 't1', step: step() }).thenEvents();
    const refund = (refundId: string, refundedMinor: number) =>
      ({ type: 'ReverseTip', tipId: 't1', cause: 'refund', reason: 'r', refundId, refundedMinor, step: step() }) as const;
    const first = spec
      .given([...sent, ...paid])
      .when(refund('rf1', 200))
      .thenEvents();
    expect(first).toMatchObject([{ data: { amount: { amountMinor: 500 }, reversed: { amountMinor: 200 } } }]);
    const afterFirst = [...sent, ...paid, ...first].reduce(communityTipsDecider.evolve, communityTipsDecider.initialState);
    expect(afterFirst.tips.t1).toMatchObject({ status: 'paid', reversedMinor: 200 });
    spec
      .given([...sent, ...paid, ...first])
      .when(refund('rf1', 200))
      .then([]);
    spec
      .given([...sent, ...paid, ...first])
      .when({ type: 'ReverseTip', tipId: 't1', cause: 'chargeback', reason: 'cb', refundId: null, refundedMinor: null, step: step() })
      .thenMatches([{ data: { cause: 'chargeback', reversed: { amountMinor: 300 } } }]);
    const second = spec
      .given([...sent, ...paid, ...first])
      .when(refund('rf2', 300))
      .thenEvents();
    const after = [...sent, ...paid, ...first, ...second].reduce(communityTipsDecider.evolve, communityTipsDecider.initialState);
    expect(after.tips.t1).toMatchObject({ status: 'reversed', reversedMinor: 500 });
  });
});

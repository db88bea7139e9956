import { CommandContext, investorTipsDecider, investorTipsStreamId } from '@app/common';
import { PaymentOutcome, PaymentsService } from '@app/payments';
import { AppConfig } from '@app/platform';
import { subscriptionDecider, subscriptionStreamId } from '../domain/subscription';
import { tippingDecider, tippingStreamId } from '../domain/tipping';
import { PaymentOutcomes } from './payment-outcomes';

const now = new Date('2026-11-23T10:00:00.000Z');
const context: CommandContext = {
  actor: { id: 'gateway:sandbox', roles: ['payment_gateway'] },
  correlationId: 'n-1',
  channel: 'system',
  now,
};
const config = { env: { SUBSCRIPTION_GRACE_DAYS: '5' } } as unknown as AppConfig;
const reactions = new PaymentOutcomes({} as PaymentsService, config);
const outcome = (extra: Partial<PaymentOutcome>): PaymentOutcome => ({
  paymentId: 'pay-1',
  payerId: 'inv-1',
  purpose: 'subscription',
  referenceId: 'inv-1/L2/sub-1',
  status: 'captured',
  ...extra,
});

describe('payment outcomes → value-added commands', () => {
  it('given a captured subscription payment, then the subscription it references is confirmed', () => {
    expect(reactions.subscription(outcome({}), context)).toEqual([
      {
        decider: subscriptionDecider,
        streamId: subscriptionStreamId('inv-1', 'L2'),
        command: { type: 'ConfirmSubscriptionPayment', subscriptionId: 'sub-1', paymentId: 'pay-1', at: now.toISOString() },
      },
    ]);
  });

  it('given a failed subscription payment, then it is failed with the grace period from the configuration', () => {
    expect(reactions.subscription(outcome({ status: 'failed', reason: 'card declined' }), context)).toEqual([
      {
        decider: subscriptionDecider,
        streamId: subscriptionStreamId('inv-1', 'L2'),
        command: {
          type: 'FailSubscriptionPayment',
          subscriptionId: 'sub-1',
          paymentId: 'pay-1',
          reason: 'card declined',
          graceDays: 5,
          at: now.toISOString(),
        },
      },
    ]);
  });

  it('given a payment whose reference names no subscription, then nothing follows', () => {
    expect(reactions.subscription(outcome({ referenceId: 'not-a-reference' }), context)).toEqual([]);
  });

  it("V4: given a tip's payment, then the investor's tip is confirmed, or failed and released from the daily cap", () => {
    const tip = outcome({ purpose: 'tip', referenceId: 'tip-1' });
    expect(reactions.tip(tip, context)).toEqual([
      {
        decider: tippingDecider,
        streamId: tippingStreamId('inv-1'),
        command: { type: 'ConfirmTipPayment', tipId: 'tip-1', at: now.toISOString() },
      },
    ]);
    expect(reactions.tip({ ...tip, status: 'failed' }, context)).toEqual([
      {
        decider: tippingDecider,
        streamId: tippingStreamId('inv-1'),
        command: { type: 'FailTipPayment', tipId: 'tip-1', reason: 'payment failed', at: now.toISOString() },
      },
      {
        decider: investorTipsDecider,
        streamId: investorTipsStreamId('inv-1'),
        command: { type: 'ReleaseTip', tipId: 'tip-1', reason: 'payment failed', at: now.toISOString() },
        existingOnly: true,
      },
    ]);
  });
});

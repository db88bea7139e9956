import { CommandContext } from '@app/common';
import { PaymentsService } from '@app/payments';
import { engagementDecider, engagementStreamId } from '../domain';
import { AdvisoryPaymentOutcomes } from './payment-outcomes';

const now = new Date('2026-11-23T10:00:00.000Z');
const context: CommandContext = {
  actor: { id: 'gateway:sandbox', roles: ['payment_gateway'] },
  correlationId: 'n-1',
  channel: 'system',
  now,
};

describe('payment outcomes → advisory commands', () => {
  it('given a settled advisory payment, then its engagement (if there is one) records the settlement', () => {
    const reactions = new AdvisoryPaymentOutcomes({} as PaymentsService);
    const [settled] = reactions.settle(
      { paymentId: 'pay-1', payerId: 'inv-1', purpose: 'advisory', referenceId: 'eng-1', status: 'failed', reason: 'declined' },
      context,
    );
    expect(settled).toEqual({
      decider: engagementDecider,
      streamId: engagementStreamId('eng-1'),
      command: {
        type: 'SettleSubscriptionPayment',
        engagementId: 'eng-1',
        paymentIntentId: 'pay-1',
        outcome: 'failed',
        reason: 'declined',
        step: expect.objectContaining({ at: now.toISOString() }),
      },
      existingOnly: true,
    });
  });
});

/** Payment commands that follow from another context's decision, for its unit of work to append with it (see FollowOn). */
import { CommandContext } from '@app/common';
import { FollowOn, followOn } from '@app/platform';
import { paymentDecider, paymentStreamId } from '../domain/payment';

export interface RefundRequest {
  readonly paymentId: string;
  readonly refundId: string;
  readonly amountMinor: number;
  readonly reason: string;
}

/**
 * A refund of a captured payment (E1), ordered by the context's actor; appended by the statement that records its
 * cause. A refund id already requested with the same amount is nothing new. The provider is asked once it is stored
 * (`PaymentsService.startRefund`).
 */
export const refundRequest = (refund: RefundRequest, context: CommandContext): FollowOn =>
  followOn(paymentDecider, paymentStreamId(refund.paymentId), {
    type: 'RequestRefund',
    at: context.now.toISOString(),
    actorId: context.actor.id,
    ...refund,
  });

/**
 * Reactors from payments to community, pure: a captured tip payment marks the tip paid and credits the host's share;
 * a failed one marks it failed; a completed refund, partial or full, reverses that part of the tip and the host's share
 * in proportion (host.ts `reversalOf`). Their commands are appended
 * by the statement that records the settlement, so money and ledger never disagree.
 */
import { CommandContext, investorTipsDecider, investorTipsStreamId, stepOf } from '@app/common';
import { PaymentOutcome, RefundOutcome } from '@app/payments';
import { FollowOn, followOn } from '@app/platform';
import { RevenueShare, communityTipsDecider, communityTipsStreamId, hostDecider, hostStreamId, parseTipPaymentReference } from '../domain';

export const tipOutcomeCommands = (outcome: PaymentOutcome, context: CommandContext, share: RevenueShare): FollowOn[] => {
  const reference = parseTipPaymentReference(outcome.referenceId);
  if (!reference) return [];
  const step = stepOf(context);
  const tips = communityTipsStreamId(outcome.payerId);
  if (outcome.status === 'failed') {
    const reason = outcome.reason ?? 'payment failed';
    return [
      followOn(communityTipsDecider, tips, { type: 'FailTip', tipId: reference.tipId, reason, step }, { existingOnly: true }),
      // A failed tip no longer counts against the daily cap (V4).
      followOn(
        investorTipsDecider,
        investorTipsStreamId(outcome.payerId),
        { type: 'ReleaseTip', tipId: reference.tipId, reason, at: step.at },
        { existingOnly: true },
      ),
    ];
  }
  const commands = [followOn(communityTipsDecider, tips, { type: 'ConfirmTip', tipId: reference.tipId, step }, { existingOnly: true })];
  if (outcome.amount) {
    commands.push(
      followOn(
        hostDecider,
        hostStreamId(reference.hostId),
        { type: 'CreditTip', tipId: reference.tipId, gross: outcome.amount, share, step },
        { existingOnly: true },
      ),
    );
  }
  return commands;
};

export const tipRefundCommands = (refund: RefundOutcome, context: CommandContext): FollowOn[] => {
  const reference = parseTipPaymentReference(refund.referenceId);
  if (!reference) return [];
  const step = stepOf(context);
  return [
    followOn(
      communityTipsDecider,
      communityTipsStreamId(refund.payerId),
      {
        type: 'ReverseTip',
        tipId: reference.tipId,
        cause: 'refund',
        reason: `refund ${refund.refundId} completed`,
        refundId: refund.refundId,
        refundedMinor: refund.amountMinor,
        step,
      },
      { existingOnly: true },
    ),
    followOn(
      hostDecider,
      hostStreamId(reference.hostId),
      { type: 'ReverseTip', tipId: reference.tipId, cause: 'refund', refundId: refund.refundId, refundedMinor: refund.amountMinor, step },
      { existingOnly: true },
    ),
  ];
};

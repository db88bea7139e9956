import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandContext, investorTipsDecider, investorTipsStreamId } from '@app/common';
import { PaymentOutcome, PaymentsService } from '@app/payments';
import { APP_CONFIG, AppConfig, FollowOn, followOn } from '@app/platform';
import { subscriptionDecider, subscriptionStreamId } from '../domain/subscription';
import { tippingDecider, tippingStreamId } from '../domain/tipping';
import { parseSubscriptionPaymentReference } from './subscription-streams';

/**
 * Settled payments move subscriptions and tips forward in the same statement that records the settlement, so a
 * captured payment and an active subscription are never seen one without the other.
 */
@Injectable()
export class PaymentOutcomes implements OnModuleInit {
  private readonly graceDays: number;

  constructor(
    private readonly payments: PaymentsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.graceDays = Number(config.env.SUBSCRIPTION_GRACE_DAYS ?? 3);
  }

  onModuleInit(): void {
    this.payments.onOutcome(['subscription', 'renewal'], (outcome, context) => this.subscription(outcome, context));
    this.payments.onOutcome(['tip'], (outcome, context) => this.tip(outcome, context));
  }

  /** A subscription's payment confirms or fails it (the reference names the subscription's stream). */
  subscription(outcome: PaymentOutcome, context: CommandContext): FollowOn[] {
    const ref = parseSubscriptionPaymentReference(outcome.referenceId);
    if (!ref) return [];
    const stream = subscriptionStreamId(ref.investorId, ref.listingId);
    const { subscriptionId } = ref;
    const at = context.now.toISOString();
    const command =
      outcome.status === 'captured'
        ? ({ type: 'ConfirmSubscriptionPayment', subscriptionId, paymentId: outcome.paymentId, at } as const)
        : ({
            type: 'FailSubscriptionPayment',
            subscriptionId,
            paymentId: outcome.paymentId,
            reason: outcome.reason ?? 'payment failed',
            graceDays: this.graceDays,
            at,
          } as const);
    return [followOn(subscriptionDecider, stream, command)];
  }

  /** A tip's payment confirms or fails the tip; a failed tip no longer counts against the daily cap (V4). */
  tip(outcome: PaymentOutcome, context: CommandContext): FollowOn[] {
    const at = context.now.toISOString();
    const tipId = outcome.referenceId;
    if (outcome.status === 'captured')
      return [followOn(tippingDecider, tippingStreamId(outcome.payerId), { type: 'ConfirmTipPayment', tipId, at })];
    const reason = outcome.reason ?? 'payment failed';
    return [
      followOn(tippingDecider, tippingStreamId(outcome.payerId), { type: 'FailTipPayment', tipId, reason, at }),
      followOn(
        investorTipsDecider,
        investorTipsStreamId(outcome.payerId),
        { type: 'ReleaseTip', tipId, reason, at },
        { existingOnly: true },
      ),
    ];
  }
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandContext, Decider, DomainEvent } from '@app/common';
import { StreamAppend } from '@app/event-store';
import { PaymentOutcome, PaymentsService } from '@app/payments';
import { AggregateStore, APP_CONFIG, AppConfig } from '@app/platform';
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
    private readonly aggregates: AggregateStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.graceDays = Number(config.env.SUBSCRIPTION_GRACE_DAYS ?? 3);
  }

  onModuleInit(): void {
    this.payments.onOutcome(['subscription', 'renewal'], (outcome, context) => this.subscription(outcome, context));
    this.payments.onOutcome(['tip'], (outcome, context) => this.tip(outcome, context));
  }

  private async subscription(outcome: PaymentOutcome, context: CommandContext): Promise<StreamAppend[]> {
    const ref = parseSubscriptionPaymentReference(outcome.referenceId);
    if (!ref) return [];
    const stream = subscriptionStreamId(ref.investorId, ref.listingId);
    const { subscriptionId } = ref;
    const at = context.now.toISOString();
    const command =
      outcome.status === 'captured'
        ? ({ type: 'ConfirmSubscriptionPayment', subscriptionId, paymentId: outcome.paymentId, at } as const)
        : ({ type: 'FailSubscriptionPayment', subscriptionId, paymentId: outcome.paymentId, reason: outcome.reason ?? 'payment failed', graceDays: this.graceDays, at } as const);
    return this.decideFor(stream, subscriptionDecider, command, context);
  }

  private async tip(outcome: PaymentOutcome, context: CommandContext): Promise<StreamAppend[]> {
    const at = context.now.toISOString();
    const command =
      outcome.status === 'captured'
        ? ({ type: 'ConfirmTipPayment', tipId: outcome.referenceId, at } as const)
        : ({ type: 'FailTipPayment', tipId: outcome.referenceId, reason: outcome.reason ?? 'payment failed', at } as const);
    return this.decideFor(tippingStreamId(outcome.payerId), tippingDecider, command, context);
  }

  private async decideFor<C, E extends DomainEvent, S>(stream: string, decider: Decider<C, E, S>, command: C, context: CommandContext): Promise<StreamAppend[]> {
    // A concurrent change to the stream fails the whole statement, the settlement too; the store retries both.
    return [await this.aggregates.decideAppend(decider, stream, command, context)];
  }
}

import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { CommandContext, DomainError } from '@app/common';
import { EventStoreTransaction } from '@app/event-store';
import { PaymentOutcome, PaymentsService } from '@app/payments';
import { AggregateStore, APP_CONFIG, AppConfig } from '@app/platform';
import { subscriptionDecider, subscriptionStreamId } from '../domain/subscription';
import { tippingDecider, tippingStreamId } from '../domain/tipping';
import { parseSubscriptionPaymentReference } from './subscription-streams';

/**
 * Settled payments move subscriptions and tips forward in the same transaction that records the settlement, so a
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
    this.payments.onOutcome(['subscription', 'renewal'], (tx, outcome, context) => this.subscription(tx, outcome, context));
    this.payments.onOutcome(['tip'], (tx, outcome, context) => this.tip(tx, outcome, context));
  }

  private async subscription(tx: EventStoreTransaction, outcome: PaymentOutcome, context: CommandContext): Promise<void> {
    const ref = parseSubscriptionPaymentReference(outcome.referenceId);
    if (!ref) return;
    const stream = subscriptionStreamId(ref.investorId, ref.listingId);
    const { subscriptionId } = ref;
    const at = context.now.toISOString();
    const command =
      outcome.status === 'captured'
        ? ({ type: 'ConfirmSubscriptionPayment', subscriptionId, paymentId: outcome.paymentId, at } as const)
        : ({ type: 'FailSubscriptionPayment', subscriptionId, paymentId: outcome.paymentId, reason: outcome.reason ?? 'payment failed', graceDays: this.graceDays, at } as const);
    await this.appendTo(tx, stream, subscriptionDecider, command, context);
  }

  private async tip(tx: EventStoreTransaction, outcome: PaymentOutcome, context: CommandContext): Promise<void> {
    const at = context.now.toISOString();
    const command =
      outcome.status === 'captured'
        ? ({ type: 'ConfirmTipPayment', tipId: outcome.referenceId, at } as const)
        : ({ type: 'FailTipPayment', tipId: outcome.referenceId, reason: outcome.reason ?? 'payment failed', at } as const);
    await this.appendTo(tx, tippingStreamId(outcome.payerId), tippingDecider, command, context);
  }

  private async appendTo<C, E extends { type: string; data: unknown }, S>(
    tx: EventStoreTransaction,
    stream: string,
    decider: { initialState: S; decide(c: C, s: S): E[] | DomainError; evolve(s: S, e: E): S },
    command: C,
    context: CommandContext,
  ): Promise<void> {
    const loaded = await this.aggregates.load(decider, stream);
    const decided = decider.decide(command, loaded.state);
    if (decided instanceof DomainError) throw decided;
    // A concurrent change to the stream fails this append, which rolls back the settlement too; the store retries both.
    if (decided.length) await tx.append(stream, this.aggregates.toNew(decided, context), loaded.revision);
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { DomainError, IdGenerator } from '@app/common';
import { COMPANY_ACCOUNT, paymentDecider, paymentStreamId } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, engagementDecider, engagementStreamId } from '../../../domain';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, loadEngagement, ownEngagement } from '../engagement-access';
import { PurchaseSubscriptionCommand } from './purchase-subscription.command';

/** The same Idempotency-Key from the same investor always names the same payment intent. */
export const paymentIntentFor = (investorId: string, key: string): string => {
  const h = createHash('sha256').update(`advisory-payment:${investorId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * A7: the purchase gate re-checks everything against fresh investor and product snapshots; the subscription and the
 * payment request to the company account (payments context) are written in one transaction.
 */
@CommandHandler(PurchaseSubscriptionCommand)
export class PurchaseSubscriptionHandler implements ICommandHandler<PurchaseSubscriptionCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: PurchaseSubscriptionCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    const paymentIntentId = c.context.idempotencyKey ? paymentIntentFor(c.context.actor.id, c.context.idempotencyKey) : this.ids.next();
    if (state.subscription?.payments.some((p) => p.paymentIntentId === paymentIntentId)) return { ...engagementView(state), paymentIntentId, replayed: true };
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(c.context.actor.id, c.context.now), this.readers.product(state.productId, state.planId)]);
    const price = { amountMinor: product.feeBasis.amountMinor, currency: product.feeBasis.currency };
    const common = { engagementId: c.engagementId, paymentIntentId, price, incentives: c.incentives, investor: snapshot, product, step: stepOf(c.context) };
    const command: EngagementCommand = c.renewal ? { type: 'RenewSubscription', ...common } : { type: 'PurchaseSubscription', subscriptionId: this.ids.next(), ...common };
    const execution = this.store.execute(engagementDecider, engagementStreamId(c.engagementId), command, c.context, {
      alongside: async (tx, { events }) => {
        if (events.length === 0) return;
        const requested = paymentDecider.decide(
          {
            type: 'RequestPayment',
            paymentId: paymentIntentId,
            at: c.context.now.toISOString(),
            payerId: c.context.actor.id,
            amountMinor: price.amountMinor,
            currency: price.currency,
            purpose: 'advisory',
            referenceId: c.engagementId,
            payee: COMPANY_ACCOUNT,
          },
          paymentDecider.initialState,
        );
        if (requested instanceof DomainError) throw requested;
        await tx.append(paymentStreamId(paymentIntentId), this.store.toNew(requested, c.context), 'no_stream');
      },
    });
    try {
      return { ...engagementView((await execution).state), paymentIntentId, replayed: false };
    } catch (error) {
      // Two requests with the same Idempotency-Key raced: the loser answers with the winner's result.
      const after = await loadEngagement(this.store, c.engagementId);
      if (after.subscription?.payments.some((p) => p.paymentIntentId === paymentIntentId)) return { ...engagementView(after), paymentIntentId, replayed: true };
      throw error;
    }
  }
}

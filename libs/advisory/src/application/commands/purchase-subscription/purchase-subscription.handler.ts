import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { PaymentsService } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, EngagementState, engagementDecider, engagementStreamId } from '../../../domain';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { PurchaseSubscriptionCommand } from './purchase-subscription.command';

/**
 * A7: the purchase gate decides against fresh investor and product snapshots; the subscription, the payment request
 * (payee: the company account) and the idempotency record commit together. The charge starts after the commit, and
 * the subscription becomes active when the payments context reports the capture (AdvisoryPaymentOutcomes).
 */
@CommandHandler(PurchaseSubscriptionCommand)
export class PurchaseSubscriptionHandler implements ICommandHandler<PurchaseSubscriptionCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    private readonly payments: PaymentsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: PurchaseSubscriptionCommand) {
    // Loaded once: the ownership check and the first decision use the same read.
    const loaded = await this.store.load(engagementDecider, engagementStreamId(c.engagementId));
    const state = owned(loaded.state, c.engagementId, c.context);
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(c.context.actor.id, c.context.now), this.readers.product(state.productId, state.planId)]);
    const price = { amountMinor: product.feeBasis.amountMinor, currency: product.feeBasis.currency };
    const paymentIntentId = this.payments.newPaymentId();
    const common = { engagementId: c.engagementId, paymentIntentId, price, incentives: c.incentives, investor: snapshot, product, step: stepOf(c.context) };
    const command: EngagementCommand = c.renewal ? { type: 'RenewSubscription', ...common } : { type: 'PurchaseSubscription', subscriptionId: this.ids.next(), ...common };
    const outcome = (next: EngagementState) => ({ ...engagementView(next), paymentIntentId });
    const { state: next } = await this.store.execute(engagementDecider, engagementStreamId(c.engagementId), command, c.context, {
      loaded,
      // The payment request is appended by the same statement as the engagement's purchase.
      alsoAppend: async () => [
        this.payments.requestAppend(
          {
            paymentId: paymentIntentId,
            payerId: c.context.actor.id,
            amountMinor: price.amountMinor,
            currency: price.currency,
            purpose: 'advisory',
            referenceId: c.engagementId,
            method: c.paymentMethod,
          },
          c.context,
        ),
      ],
      alongside: async (tx, { state: decided }) => c.complete(tx, 201, outcome(decided)),
    });
    this.payments.charge({ paymentId: paymentIntentId, amountMinor: price.amountMinor, currency: price.currency, method: c.paymentMethod });
    return outcome(next);
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { PaymentsService } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, EngagementEvent, EngagementEventType, engagementDecider, engagementStreamId } from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { PurchaseSubscriptionCommand } from './purchase-subscription.command';

/**
 * A7: the purchase gate decides against the investor's and the product's streams (and, when the listing requires lessons,
 * the investor's lesson stream: G8), and the purchase is recorded only if none has changed since (the append checks
 * their revisions); the subscription, the payment request (payee: the
 * company account) and the request's recorded response are written by one statement. The charge starts after the commit, and
 * the subscription becomes active when the payments context reports the capture (AdvisoryPaymentOutcomes).
 */
@CommandHandler(PurchaseSubscriptionCommand)
export class PurchaseSubscriptionHandler implements ICommandHandler<PurchaseSubscriptionCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly readers: AdvisoryReaders,
    private readonly payments: PaymentsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: PurchaseSubscriptionCommand) {
    const stream = engagementStreamId(c.engagementId);
    const paymentIntentId = this.payments.newPaymentId();
    const subscriptionId = this.ids.next();
    return this.aggregates.handle(
      engagementDecider,
      stream,
      // The gate reads the engagement, the investor and the product; the append checks that none of them has moved on.
      async (reads): Promise<EngagementCommand> => {
        const state = owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        const [{ snapshot }, product] = await Promise.all([
          this.readers.investor(c.context.actor.id, c.context.now, reads),
          this.readers.product(state.productId, state.planId, reads),
        ]);
        // The investor's stream carries the recorded contacts: attribution (A5) needs no read of its own.
        const common = {
          engagementId: c.engagementId,
          paymentIntentId,
          price: { amountMinor: product.feeBasis.amountMinor, currency: product.feeBasis.currency },
          incentives: c.incentives,
          investor: snapshot,
          product,
          attributionWindowDays: this.settings.attributionWindowDays,
          step: stepOf(c.context),
        };
        if (c.renewal) return { type: 'RenewSubscription', ...common };
        // G8: the lessons the listing (already read) requires, and the investor's progress when it requires some.
        const education = await this.readers.education(c.context.actor.id, state.productId, reads);
        return { type: 'PurchaseSubscription', subscriptionId, education, ...common };
      },
      c.context,
      ({ state }) => ({ ...engagementView(state), paymentIntentId }),
      {
        // The payment request is appended by the same statement as the engagement's purchase; the charge starts after.
        followOns: ({ events }) => {
          const price = priceOf(events);
          return price
            ? [
                this.payments.paymentRequest(
                  {
                    paymentId: paymentIntentId,
                    payerId: c.context.actor.id,
                    ...price,
                    purpose: 'advisory',
                    referenceId: c.engagementId,
                    method: c.paymentMethod,
                  },
                  c.context,
                ),
              ]
            : [];
        },
        afterCommit: ({ events }) => {
          const price = priceOf(events);
          if (price) this.payments.charge({ paymentId: paymentIntentId, ...price, method: c.paymentMethod });
        },
      },
    );
  }
}

/** The price a purchase or a renewal asks for, if the decision made one. */
const priceOf = (events: readonly EngagementEvent[]): { amountMinor: number; currency: string } | undefined => {
  for (const event of events) {
    if (event.type === EngagementEventType.SubscriptionPurchased || event.type === EngagementEventType.SubscriptionRenewed) {
      return { amountMinor: event.data.price.amountMinor, currency: event.data.price.currency };
    }
  }
  return undefined;
};

import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator, notFound } from '@app/common';
import { listingDecider, listingStreamId } from '@app/catalog';
import { CompleteIdempotency, PaymentsService } from '@app/payments';
import { StreamAppend } from '@app/event-store';
import { AggregateStore } from '@app/platform';
import { couponDecider, couponStreamId, CouponState, refuseIncentiveOnAdvisory } from '../../../domain/coupon';
import { PlanSnapshot, SubscriptionCommand, SubscriptionEventTypes, subscriptionDecider, subscriptionStreamId } from '../../../domain/subscription';
import { subscriptionPaymentReference } from '../../subscription-streams';

export class SubscribeCommand implements ICommand {
  constructor(
    readonly listingId: string,
    readonly planId: string,
    readonly paymentMethod: string,
    readonly couponCode: string | undefined,
    readonly context: CommandContext,
    readonly complete: CompleteIdempotency,
  ) {}
}

export interface Subscribed {
  readonly subscriptionId: string;
  readonly status: string;
  readonly paymentId: string | null;
  readonly amountMinor: number;
  readonly currency: string;
  readonly periodEnd: string | null;
}

/**
 * Subscribe to a published value-added listing. The subscription, the payment request, a coupon redemption and the
 * idempotency record are written by one statement; the charge starts after the commit and its outcome activates the subscription.
 */
@CommandHandler(SubscribeCommand)
export class SubscribeHandler implements ICommandHandler<SubscribeCommand, Subscribed> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly payments: PaymentsService,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ listingId, planId, paymentMethod, couponCode, context, complete }: SubscribeCommand): Promise<Subscribed> {
    const investorId = context.actor.id;
    const at = context.now.toISOString();
    const subscriptionId = this.ids.next();
    const paymentId = this.ids.next();
    // Set by each attempt's decision.
    let offer: { family: 'value_added' | 'advisory'; snapshot: PlanSnapshot; priceMinor: number } = { family: 'value_added', snapshot: { planId, priceMinor: 0, currency: 'CNY', billingPeriod: 'month' }, priceMinor: 0 };
    let coupon: { code: string; discountMinor: number } | undefined;
    let charge: { amountMinor: number } | undefined;
    const redeem = (state: CouponState) =>
      couponDecider.decide({ type: 'RedeemCoupon', code: couponCode as string, investorId, listingId, family: offer.family as 'value_added', priceMinor: offer.priceMinor, currency: offer.snapshot.currency, subscriptionId, at }, state);

    const { state } = await this.aggregates.execute(
      subscriptionDecider,
      subscriptionStreamId(investorId, listingId),
      // The listing and a coupon are read from their streams, and the append checks that neither has changed since.
      async (reads): Promise<SubscriptionCommand> => {
        const { state: listing } = await reads.load(listingDecider, listingStreamId(listingId));
        // L1: only published listings are sold.
        if (listing.status !== 'published') throw notFound('CATALOG.LISTING_NOT_FOUND', `no published listing ${listingId}`);
        const plan = listing.content.plans.find((candidate) => candidate.planId === planId);
        if (!plan) throw notFound('SUBSCRIPTION.PLAN_NOT_FOUND', `listing ${listingId} has no plan ${planId}`);
        const snapshot: PlanSnapshot = { planId: plan.planId, priceMinor: plan.priceMinor, currency: plan.currency, billingPeriod: plan.billingPeriod, ...(plan.trialDays ? { trialDays: plan.trialDays } : {}) };
        offer = { family: listing.family, snapshot, priceMinor: plan.priceMinor };
        coupon = undefined;
        if (couponCode) {
          // V2 before anything else: no incentive ever applies to an advisory product.
          const refused = refuseIncentiveOnAdvisory(listing.family);
          if (refused) throw refused;
          const decided = redeem((await reads.load(couponDecider, couponStreamId(couponCode))).state);
          if (decided instanceof DomainError) throw decided;
          const redeemed = decided.find((event) => event.type === 'value-added.CouponRedeemed');
          if (redeemed?.type === 'value-added.CouponRedeemed') coupon = { code: redeemed.data.code, discountMinor: redeemed.data.discountMinor };
        }
        return { type: 'Subscribe', subscriptionId, investorId, listingId, kind: listing.content.kind, family: listing.family, plan: snapshot, paymentId, paymentMethod, at, ...(coupon ? { coupon } : {}) };
      },
      context,
      {
        // Most subscriptions are an investor's first to the product.
        usuallyNew: true,
        // The payment request and a coupon's redemption are appended by the same statement as the subscription, and the
        // idempotency record is written by it.
        alsoAppend: async ({ events }) => {
          charge = undefined;
          const appends: StreamAppend[] = [];
          if (coupon) {
            // The coupon's limits hold at the append: its redemption names the coupon stream's revision.
            const loaded = await this.aggregates.recall(couponDecider, couponStreamId(coupon.code));
            const decided = redeem(loaded.state);
            if (decided instanceof DomainError) throw decided;
            appends.push(this.aggregates.appendFor(couponDecider, couponStreamId(coupon.code), loaded, decided, context));
          }
          const requested = events.find((event) => event.type === SubscriptionEventTypes.Requested && event.data.amountMinor > 0);
          if (requested?.type !== SubscriptionEventTypes.Requested) return appends;
          charge = { amountMinor: requested.data.amountMinor };
          appends.push(
            this.payments.requestAppend(
              {
                paymentId,
                payerId: investorId,
                amountMinor: requested.data.amountMinor,
                currency: offer.snapshot.currency,
                purpose: 'subscription',
                referenceId: subscriptionPaymentReference(investorId, listingId, subscriptionId),
                method: paymentMethod,
              },
              context,
            ),
          );
          return appends;
        },
        guard: ({ state: next }) => complete.write(201, result(next.current?.status ?? 'pending', charge, next.current?.periodEnd ?? null)),
      },
    );
    if (charge) this.payments.charge({ paymentId, amountMinor: charge.amountMinor, currency: offer.snapshot.currency, method: paymentMethod });
    return result(state.current?.status ?? 'pending', charge, state.current?.periodEnd ?? null);

    function result(status: string, paid: { amountMinor: number } | undefined, periodEnd: string | null): Subscribed {
      return { subscriptionId, status, paymentId: paid ? paymentId : null, amountMinor: paid?.amountMinor ?? 0, currency: offer.snapshot.currency, periodEnd };
    }
  }
}

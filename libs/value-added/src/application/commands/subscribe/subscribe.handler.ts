import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator, notFound } from '@app/common';
import { CatalogQueries } from '@app/catalog';
import { CompleteIdempotency, PaymentsService } from '@app/payments';
import { StreamAppend } from '@app/event-store';
import { AggregateStore } from '@app/platform';
import { couponDecider, couponStreamId, refuseIncentiveOnAdvisory } from '../../../domain/coupon';
import { PlanSnapshot, SubscriptionEventTypes, subscriptionDecider, subscriptionStreamId } from '../../../domain/subscription';
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
    private readonly catalog: CatalogQueries,
    private readonly payments: PaymentsService,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ listingId, planId, paymentMethod, couponCode, context, complete }: SubscribeCommand): Promise<Subscribed> {
    const investorId = context.actor.id;
    const at = context.now.toISOString();
    const listing = await this.catalog.getPublished(listingId);
    const plan = listing.plans.find((candidate) => candidate.planId === planId);
    if (!plan) throw notFound('SUBSCRIPTION.PLAN_NOT_FOUND', `listing ${listingId} has no plan ${planId}`);
    const snapshot: PlanSnapshot = { planId: plan.planId, priceMinor: plan.priceMinor, currency: plan.currency, billingPeriod: plan.billingPeriod, ...(plan.trialDays ? { trialDays: plan.trialDays } : {}) };
    const subscriptionId = this.ids.next();
    const paymentId = this.ids.next();

    let coupon: { code: string; discountMinor: number } | undefined;
    if (couponCode) {
      // V2 before anything else: no incentive ever applies to an advisory product.
      const refused = refuseIncentiveOnAdvisory(listing.family);
      if (refused) throw refused;
      // The discount, from the coupon as it is now; the redemption itself is decided again with the append.
      const { state: couponState } = await this.aggregates.load(couponDecider, couponStreamId(couponCode));
      const decided = couponDecider.decide(
        { type: 'RedeemCoupon', code: couponCode, investorId, listingId, family: listing.family as 'value_added', priceMinor: plan.priceMinor, currency: plan.currency, subscriptionId, at },
        couponState,
      );
      if (decided instanceof DomainError) throw decided;
      const redeemed = decided.find((event) => event.type === 'value-added.CouponRedeemed');
      if (redeemed?.type === 'value-added.CouponRedeemed') coupon = { code: redeemed.data.code, discountMinor: redeemed.data.discountMinor };
    }

    let charge: { amountMinor: number } | undefined;
    const { state } = await this.aggregates.execute(
      subscriptionDecider,
      subscriptionStreamId(investorId, listingId),
      {
        type: 'Subscribe',
        subscriptionId,
        investorId,
        listingId,
        kind: listing.kind,
        family: listing.family as 'value_added' | 'advisory',
        plan: snapshot,
        paymentId,
        paymentMethod,
        at,
        ...(coupon ? { coupon } : {}),
      },
      context,
      {
        // The payment request and a coupon's redemption are appended by the same statement as the subscription, and the
        // idempotency record is completed by it.
        alsoAppend: async ({ events }) => {
          charge = undefined;
          const appends: StreamAppend[] = [];
          if (coupon) {
            // Decided again on every attempt: a concurrent redemption moves the coupon stream, and its limits must hold.
            appends.push(
              await this.aggregates.decideAppend(
                couponDecider,
                couponStreamId(coupon.code),
                { type: 'RedeemCoupon', code: coupon.code, investorId, listingId, family: listing.family as 'value_added', priceMinor: plan.priceMinor, currency: plan.currency, subscriptionId, at },
                context,
              ),
            );
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
                currency: plan.currency,
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
    if (charge) this.payments.charge({ paymentId, amountMinor: charge.amountMinor, currency: plan.currency, method: paymentMethod });
    return result(state.current?.status ?? 'pending', charge, state.current?.periodEnd ?? null);

    function result(status: string, paid: { amountMinor: number } | undefined, periodEnd: string | null): Subscribed {
      return { subscriptionId, status, paymentId: paid ? paymentId : null, amountMinor: paid?.amountMinor ?? 0, currency: snapshot.currency, periodEnd };
    }
  }
}

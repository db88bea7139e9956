import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator } from '@app/common';
import { ListingState, listingDecider, listingStreamId } from '@app/catalog';
import { checkLessonsCompleted, lessonProgressDecider, lessonProgressStreamId } from '@app/growth';
import { PaymentsService } from '@app/payments';
import { AggregateStore, followOn } from '@app/platform';
import { couponDecider, couponStreamId } from '../../../domain/coupon';
import { ListingOnSale, subscribeCommand, subscriptionStart } from '../../../domain/offer';
import { SubscriptionEvent, SubscriptionState, subscriptionDecider, subscriptionStreamId } from '../../../domain/subscription';
import { subscriptionPaymentReference } from '../../subscription-streams';

export class SubscribeCommand implements ICommand {
  constructor(
    readonly listingId: string,
    readonly planId: string,
    readonly paymentMethod: string,
    readonly couponCode: string | undefined,
    readonly context: CommandContext,
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
 * Subscribe to a published value-added listing: the offer (plan and coupon) is decided from the listing's and the
 * coupon's streams, the subscription from the offer; a coupon's redemption and the payment request follow from the
 * decision and are appended with it. The charge starts after the commit; its outcome activates the subscription.
 */
@CommandHandler(SubscribeCommand)
export class SubscribeHandler implements ICommandHandler<SubscribeCommand, Subscribed> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly payments: PaymentsService,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ listingId, planId, paymentMethod, couponCode, context }: SubscribeCommand): Promise<Subscribed> {
    const investorId = context.actor.id;
    const request = {
      subscriptionId: this.ids.next(),
      investorId,
      planId,
      paymentId: this.ids.next(),
      paymentMethod,
      couponCode,
      at: context.now.toISOString(),
    };
    const subscribed = await this.aggregates.handle(
      subscriptionDecider,
      subscriptionStreamId(investorId, listingId),
      // The append checks that neither the listing nor the coupon has changed since they were read.
      async (reads) => {
        const listing = await reads.load(listingDecider, listingStreamId(listingId));
        const coupon = couponCode ? await reads.load(couponDecider, couponStreamId(couponCode)) : undefined;
        // G8: education before products; the investor's lessons are read only when the listing requires some.
        const lessons = requiredLessonsOf(listing.state).length
          ? await reads.load(lessonProgressDecider, lessonProgressStreamId(investorId))
          : undefined;
        const uneducated = lessons && checkLessonsCompleted(requiredLessonsOf(listing.state), lessons.state);
        if (uneducated) throw uneducated;
        const decided = subscribeCommand(onSale(listingId, listing.state), request, coupon?.state);
        if (decided instanceof DomainError) throw decided;
        return decided;
      },
      context,
      ({ state, events }) => answer(request.subscriptionId, state, events),
      {
        followOns: ({ events }) => {
          const { redemption, charge } = subscriptionStart(events);
          const referenceId = subscriptionPaymentReference(investorId, listingId, request.subscriptionId);
          return [
            ...(redemption ? [followOn(couponDecider, couponStreamId(redemption.code), redemption)] : []),
            ...(charge
              ? [
                  this.payments.paymentRequest(
                    { ...charge, payerId: investorId, purpose: 'subscription', referenceId, method: paymentMethod },
                    context,
                  ),
                ]
              : []),
          ];
        },
      },
    );
    if (subscribed.paymentId)
      this.payments.charge({
        paymentId: subscribed.paymentId,
        amountMinor: subscribed.amountMinor,
        currency: subscribed.currency,
        method: paymentMethod,
      });
    return subscribed;
  }
}

const answer = (subscriptionId: string, state: SubscriptionState, events: readonly SubscriptionEvent[]): Subscribed => {
  const { charge } = subscriptionStart(events);
  return {
    subscriptionId,
    status: state.current?.status ?? 'pending',
    paymentId: charge?.paymentId ?? null,
    amountMinor: charge?.amountMinor ?? 0,
    currency: charge?.currency ?? state.current?.plan.currency ?? 'CNY',
    periodEnd: state.current?.periodEnd ?? null,
  };
};
/** The catalog's listing as the offer reads it; the plan snapshot keeps only what a subscription records. */
const requiredLessonsOf = (listing: ListingState): readonly string[] =>
  listing.status === 'published' ? (listing.content.requiredLessons ?? []) : [];

const onSale = (listingId: string, listing: ListingState): ListingOnSale =>
  listing.status === 'published'
    ? {
        listingId,
        published: true,
        family: listing.family,
        kind: listing.content.kind,
        plans: listing.content.plans.map((plan) => ({
          planId: plan.planId,
          priceMinor: plan.priceMinor,
          currency: plan.currency,
          billingPeriod: plan.billingPeriod,
          ...(plan.trialDays ? { trialDays: plan.trialDays } : {}),
        })),
      }
    : { listingId, published: false, family: 'value_added', kind: '', plans: [] };

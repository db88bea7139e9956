import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator, notFound, stepOf } from '@app/common';
import { listingDecider, listingStreamId } from '@app/catalog';
import { couponDecider, couponStreamId } from '@app/value-added';
import { AggregateStore, followOn } from '@app/platform';
import { REDEMPTION_CAMPAIGN, budgetDecider, budgetStreamId } from '../../domain/budget';
import { LedgerEventTypes, pointsLedgerDecider, pointsLedgerStreamId, spendableAt } from '../../domain/points-ledger';
import { ListingFacts, RedeemedCoupon, redeemPoints } from '../../domain/redemption';
import { REWARDS_SETTINGS, RewardsSettings } from '../rewards-settings';

export class RedeemPointsCommand implements ICommand {
  constructor(
    readonly optionId: string,
    readonly listingId: string,
    readonly context: CommandContext,
  ) {}
}

export interface Redeemed {
  readonly redemptionId: string;
  readonly optionId: string;
  readonly listingId: string;
  readonly pointsSpent: number;
  readonly couponCode: string;
  readonly amountOffMinor: number;
  readonly currency: string;
  readonly validUntil: string;
  readonly balance: number;
}

/**
 * Points for a discount (G5, V2): the investor's ledger is debited (oldest points first) and a single-use coupon for
 * this investor and this value-added listing is issued through value-added's coupon stream, by one statement; the
 * redemption campaign's money budget is charged when one is open. An advisory listing is refused (V2).
 */
@CommandHandler(RedeemPointsCommand)
export class RedeemPointsHandler implements ICommandHandler<RedeemPointsCommand, Redeemed> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly ids: IdGenerator,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  async execute({ optionId, listingId, context }: RedeemPointsCommand): Promise<Redeemed> {
    const option = this.settings.redemptionOptions.find((candidate) => candidate.optionId === optionId);
    if (!option) throw notFound('REWARDS.OPTION_NOT_FOUND', `no redemption option ${optionId}`);
    const investorId = context.actor.id;
    const redemptionId = this.ids.next();
    const step = stepOf(context);
    let coupon: { terms: RedeemedCoupon; family: 'value_added' | 'advisory' } | undefined;
    return this.aggregates.handle(
      pointsLedgerDecider,
      pointsLedgerStreamId(investorId),
      // The listing's family is read from its stream, and the append checks it has not changed since (V2).
      async (reads) => {
        const { state } = await reads.load(listingDecider, listingStreamId(listingId));
        const facts: ListingFacts =
          state.status === 'none'
            ? { status: 'none' }
            : { status: state.status === 'published' ? 'published' : 'unpublished', listingId, family: state.family };
        const decided = redeemPoints(option, facts, { investorId, redemptionId, listingId, step });
        if (decided instanceof DomainError) throw decided;
        coupon = { terms: decided.coupon, family: state.status === 'none' ? 'value_added' : state.family };
        return decided.spend;
      },
      context,
      ({ state }) => ({
        redemptionId,
        optionId,
        listingId,
        pointsSpent: option.points,
        couponCode: coupon?.terms.code ?? '',
        amountOffMinor: option.amountOff.amountMinor,
        currency: option.amountOff.currency,
        validUntil: coupon?.terms.validUntil ?? '',
        balance: spendableAt(state, step.at),
      }),
      {
        followOns: ({ events }) => {
          if (!coupon || !events.some((event) => event.type === LedgerEventTypes.Spent)) return [];
          const { terms, family } = coupon;
          return [
            followOn(
              couponDecider,
              couponStreamId(terms.code),
              {
                type: 'IssueCoupon',
                terms: {
                  code: terms.code,
                  amountOffMinor: terms.amountOff.amountMinor,
                  currency: terms.amountOff.currency,
                  validFrom: terms.validFrom,
                  validUntil: terms.validUntil,
                  maxRedemptions: 1,
                  listingIds: [terms.listingId],
                  description: `积分兑换 ${option.points} 积分`,
                  forInvestorId: investorId,
                },
                targets: { [terms.listingId]: family },
                actor: context.actor,
                at: step.at,
                pointsRedemption: { investorId, redemptionId },
              },
              { startsStream: true },
            ),
            followOn(
              budgetDecider,
              budgetStreamId(REDEMPTION_CAMPAIGN),
              { type: 'Charge', chargeId: `redemption:${redemptionId}`, points: 0, money: option.amountOff, step },
              { existingOnly: true },
            ),
          ];
        },
      },
    );
  }
}

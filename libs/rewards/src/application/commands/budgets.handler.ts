import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, Money, stepOf } from '@app/common';
import { AggregateStore, followOn } from '@app/platform';
import { BudgetState, budgetDecider, budgetStreamId } from '../../domain/budget';
import { expiryFor, pointsLedgerDecider, pointsLedgerStreamId } from '../../domain/points-ledger';
import { REWARDS_SETTINGS, RewardsSettings } from '../rewards-settings';

export interface BudgetAnswer {
  readonly campaignId: string;
  readonly points: { readonly limit: number; readonly spent: number; readonly left: number };
  readonly money: { readonly limitMinor: number; readonly spentMinor: number; readonly leftMinor: number; readonly currency: string };
}

export const budgetAnswer = (state: BudgetState, campaignId: string): BudgetAnswer =>
  state.status === 'open'
    ? {
        campaignId,
        points: { limit: state.points.limit, spent: state.points.spent, left: state.points.limit - state.points.spent },
        money: {
          limitMinor: state.money.limit.amountMinor,
          spentMinor: state.money.spentMinor,
          leftMinor: state.money.limit.amountMinor - state.money.spentMinor,
          currency: state.money.limit.currency,
        },
      }
    : { campaignId, points: { limit: 0, spent: 0, left: 0 }, money: { limitMinor: 0, spentMinor: 0, leftMinor: 0, currency: 'CNY' } };

export class OpenBudgetCommand implements ICommand {
  constructor(
    readonly campaignId: string,
    readonly points: number,
    readonly money: Money,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenBudgetCommand)
export class OpenBudgetHandler implements ICommandHandler<OpenBudgetCommand, BudgetAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ campaignId, points, money, context }: OpenBudgetCommand): Promise<BudgetAnswer> {
    return this.aggregates.handle(
      budgetDecider,
      budgetStreamId(campaignId),
      { type: 'OpenBudget', campaignId, points, money, step: stepOf(context) },
      context,
      ({ state }) => budgetAnswer(state, campaignId),
    );
  }
}

export class AwardCampaignPointsCommand implements ICommand {
  constructor(
    readonly campaignId: string,
    readonly investorId: string,
    readonly awardId: string,
    readonly points: number,
    readonly context: CommandContext,
  ) {}
}

export interface CampaignAward {
  readonly campaignId: string;
  readonly awardId: string;
  readonly investorId: string;
  readonly points: number;
  readonly budget: BudgetAnswer;
}

/**
 * A campaign's award: the campaign's budget stream is charged (decided on the points left, so concurrent awards
 * cannot overspend it, G5) and the award follows into the investor's ledger in the same statement.
 */
@CommandHandler(AwardCampaignPointsCommand)
export class AwardCampaignPointsHandler implements ICommandHandler<AwardCampaignPointsCommand, CampaignAward> {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  execute({ campaignId, investorId, awardId, points, context }: AwardCampaignPointsCommand): Promise<CampaignAward> {
    const step = stepOf(context);
    const ledgerAwardId = `campaign:${campaignId}:${awardId}`;
    return this.aggregates.handle(
      budgetDecider,
      budgetStreamId(campaignId),
      { type: 'Charge', chargeId: ledgerAwardId, points, step },
      context,
      ({ state }) => ({ campaignId, awardId, investorId, points, budget: budgetAnswer(state, campaignId) }),
      {
        followOns: ({ events }) =>
          events.map(() =>
            followOn(pointsLedgerDecider, pointsLedgerStreamId(investorId), {
              type: 'AwardPoints',
              investorId,
              awardId: ledgerAwardId,
              points,
              expiresAt: expiryFor(step.at, this.settings.pointsValidDays),
              source: { kind: 'campaign', campaignId },
              step,
            }),
          ),
      },
    );
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, notFound, stepOf } from '@app/common';
import { MarketData } from '@app/market-data';
import { AggregateStore, followOn } from '@app/platform';
import { UP_DOWN_CAMPAIGN, budgetDecider, budgetStreamId } from '../../domain/budget';
import { beijingDay } from '../../domain/check-in';
import { expiryFor, pointsLedgerDecider, pointsLedgerStreamId } from '../../domain/points-ledger';
import { roundTermsFor } from '../../domain/round-terms';
import { Direction, RoundEventTypes, RoundState, upDownAwardId, upDownRoundDecider, upDownRoundStreamId } from '../../domain/up-down-game';
import { indexCloseOf } from '../../infrastructure/index-close';
import { REWARDS_SETTINGS, RewardsSettings } from '../rewards-settings';

export class PredictCommand implements ICommand {
  constructor(
    readonly indexCode: string,
    readonly direction: Direction,
    readonly tradingDay: string | undefined,
    readonly context: CommandContext,
  ) {}
}

export interface Predicted {
  readonly roundId: string;
  readonly indexCode: string;
  readonly tradingDay: string;
  readonly direction: Direction;
  readonly cutoffAt: string;
  readonly rewardPoints: number;
}

@CommandHandler(PredictCommand)
export class PredictHandler implements ICommandHandler<PredictCommand, Predicted> {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  execute({ indexCode, direction, tradingDay, context }: PredictCommand): Promise<Predicted> {
    const step = stepOf(context);
    const today = beijingDay(step.at);
    const terms = roundTermsFor(this.settings.upDown, indexCode, tradingDay ?? today, today);
    if (terms instanceof DomainError) throw terms;
    return this.aggregates.handle(
      upDownRoundDecider,
      upDownRoundStreamId(terms.roundId),
      { type: 'Predict', terms, investorId: context.actor.id, direction, step },
      context,
      ({ state }) => {
        const round = state.status === 'none' ? terms : state.terms;
        return {
          roundId: round.roundId,
          indexCode: round.indexCode,
          tradingDay: round.tradingDay,
          direction,
          cutoffAt: round.cutoffAt,
          rewardPoints: round.rewardPoints,
        };
      },
    );
  }
}

export class SettleRoundCommand implements ICommand {
  constructor(
    readonly roundId: string,
    readonly context: CommandContext,
  ) {}
}

export interface Settled {
  readonly roundId: string;
  readonly status: RoundState['status'];
  readonly outcome: string | null;
  readonly winners: number;
}

/**
 * Settles a round from the market-data feed's close: the settlement and every winner's award are appended by one
 * statement, and a settled round decides nothing again, so its points are given exactly once (G5). The up/down
 * campaign's budget is charged for the round when one is open.
 */
@CommandHandler(SettleRoundCommand)
export class SettleRoundHandler implements ICommandHandler<SettleRoundCommand, Settled> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly market: MarketData,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  execute({ roundId, context }: SettleRoundCommand): Promise<Settled> {
    const step = stepOf(context);
    return this.aggregates.handle(
      upDownRoundDecider,
      upDownRoundStreamId(roundId),
      async (reads) => {
        const { state } = await reads.load(upDownRoundDecider, upDownRoundStreamId(roundId));
        if (state.status === 'none') throw notFound('UPDOWN.ROUND_NOT_FOUND', `no round ${roundId}`);
        return {
          type: 'Settle' as const,
          close: indexCloseOf(await this.market.indexDay(state.terms.indexCode, state.terms.tradingDay)),
          step,
        };
      },
      context,
      ({ state }) => ({
        roundId,
        status: state.status,
        outcome: state.status === 'settled' ? state.outcome : null,
        winners: state.status === 'settled' ? state.winners.length : 0,
      }),
      {
        followOns: ({ events }) =>
          events.flatMap((event) => {
            if (event.type !== RoundEventTypes.Settled) return [];
            const { winners, rewardPoints } = event.data;
            const awards = winners.map((investorId) =>
              followOn(pointsLedgerDecider, pointsLedgerStreamId(investorId), {
                type: 'AwardPoints',
                investorId,
                awardId: upDownAwardId(roundId, investorId),
                points: rewardPoints,
                expiresAt: expiryFor(step.at, this.settings.pointsValidDays),
                source: { kind: 'up_down_game', roundId },
                step,
              }),
            );
            const charge = winners.length
              ? [
                  followOn(
                    budgetDecider,
                    budgetStreamId(UP_DOWN_CAMPAIGN),
                    { type: 'Charge', chargeId: `round:${roundId}`, points: winners.length * rewardPoints, step },
                    { existingOnly: true },
                  ),
                ]
              : [];
            return [...awards, ...charge];
          }),
      },
    );
  }
}

export class ExpirePointsCommand implements ICommand {
  constructor(
    readonly investorId: string,
    readonly context: CommandContext,
  ) {}
}

/** Writes off a ledger's lots past their expiry (the expiry job's command). */
@CommandHandler(ExpirePointsCommand)
export class ExpirePointsHandler implements ICommandHandler<ExpirePointsCommand, { expired: number }> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ investorId, context }: ExpirePointsCommand): Promise<{ expired: number }> {
    return this.aggregates.handle(
      pointsLedgerDecider,
      pointsLedgerStreamId(investorId),
      { type: 'ExpirePoints', investorId, step: stepOf(context) },
      context,
      ({ events }) => ({
        expired: events.reduce((sum, event) => sum + (event.type === 'rewards.PointsExpired' ? event.data.points : 0), 0),
      }),
    );
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, stepOf } from '@app/common';
import { ActivityQuery } from '@app/growth';
import { AggregateStore, followOn } from '@app/platform';
import { CHECK_IN_CAMPAIGN, budgetDecider, budgetStreamId } from '../../domain/budget';
import {
  CheckInEventTypes,
  QualifyingRule,
  beijingDay,
  beijingDayStart,
  checkInAwardId,
  checkInDecider,
  checkInStreamId,
  ruleInForce,
} from '../../domain/check-in';
import { expiryFor, pointsLedgerDecider, pointsLedgerStreamId } from '../../domain/points-ledger';
import { REWARDS_SETTINGS, RewardsSettings } from '../rewards-settings';

export class CheckInCommand implements ICommand {
  constructor(readonly context: CommandContext) {}
}

export interface CheckedIn {
  readonly day: string;
  readonly streak: number;
  readonly basePoints: number;
  readonly bonusPoints: number;
  readonly points: number;
  readonly qualifyingRule: { readonly ruleId: string; readonly activityTypes: readonly string[] };
}

/**
 * A daily check-in: the qualifying activity in force on the Beijing day is checked against what the growth context
 * recorded (never taken from the client); the points follow into the ledger, and the check-in campaign's budget is
 * charged when one is open (G5), all appended by one statement.
 */
@CommandHandler(CheckInCommand)
export class CheckInHandler implements ICommandHandler<CheckInCommand, CheckedIn> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly activity: ActivityQuery,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  async execute({ context }: CheckInCommand): Promise<CheckedIn> {
    const investorId = context.actor.id;
    const step = stepOf(context);
    const day = beijingDay(step.at);
    const rule: QualifyingRule | undefined = ruleInForce(this.settings.checkInRules, day);
    return this.aggregates.handle(
      checkInDecider,
      checkInStreamId(investorId),
      async () => ({
        type: 'CheckIn' as const,
        investorId,
        // Activity up to and including this instant of the Beijing day.
        qualifying: rule
          ? {
              rule,
              met: await this.activity.any(investorId, rule.activityTypes, beijingDayStart(day), new Date(context.now.getTime() + 1)),
            }
          : undefined,
        table: this.settings.checkInTable,
        step,
      }),
      context,
      ({ events }) => {
        const checkedIn = events.find((event) => event.type === CheckInEventTypes.CheckedIn);
        if (!checkedIn) throw new Error('a check-in decision without its event');
        const { streak, basePoints, bonusPoints, points, qualifyingRule } = checkedIn.data;
        return { day: checkedIn.data.day, streak, basePoints, bonusPoints, points, qualifyingRule };
      },
      {
        followOns: ({ events }) =>
          events.flatMap((event) => {
            const awardId = checkInAwardId(investorId, event.data.day);
            return [
              followOn(pointsLedgerDecider, pointsLedgerStreamId(investorId), {
                type: 'AwardPoints',
                investorId,
                awardId,
                points: event.data.points,
                expiresAt: expiryFor(step.at, this.settings.pointsValidDays),
                source: { kind: 'check_in', day: event.data.day, streak: event.data.streak },
                step,
              }),
              followOn(
                budgetDecider,
                budgetStreamId(CHECK_IN_CAMPAIGN),
                { type: 'Charge', chargeId: awardId, points: event.data.points, step },
                { existingOnly: true },
              ),
            ];
          }),
      },
    );
  }
}

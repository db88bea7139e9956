import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, stepOf } from '@app/common';
import { AggregateStore } from '@app/platform';
import { analyticsConsentDecider, analyticsConsentStreamId } from '../../domain/analytics-consent';

export class ChangeAnalyticsConsentCommand implements ICommand {
  constructor(
    readonly investorId: string,
    readonly given: boolean,
    readonly context: CommandContext,
  ) {}
}

export interface AnalyticsConsentAnswer {
  readonly investorId: string;
  readonly analytics: 'given' | 'withdrawn' | 'never_asked';
  readonly since: string | null;
}

/** G7: the investor gives or withdraws their analytics consent; the answer is the consent now in force. */
@CommandHandler(ChangeAnalyticsConsentCommand)
export class ChangeAnalyticsConsentHandler implements ICommandHandler<ChangeAnalyticsConsentCommand, AnalyticsConsentAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ investorId, given, context }: ChangeAnalyticsConsentCommand): Promise<AnalyticsConsentAnswer> {
    const step = stepOf(context);
    return this.aggregates.handle(
      analyticsConsentDecider,
      analyticsConsentStreamId(investorId),
      given ? { type: 'GiveAnalyticsConsent', investorId, step } : { type: 'WithdrawAnalyticsConsent', investorId, step },
      context,
      ({ state }) => ({ investorId, analytics: state.status, since: state.status === 'never_asked' ? null : state.since }),
    );
  }
}

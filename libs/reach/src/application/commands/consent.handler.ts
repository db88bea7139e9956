/** G1: the investor gives or withdraws consent to a channel, in settings or with the one-tap unsubscribe link. */
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, stepOf } from '@app/common';
import { AggregateStore } from '@app/platform';
import { consentDecider, ConsentVia, consentStreamId, ReachChannel } from '../../domain';

export class SetChannelConsentCommand {
  constructor(
    readonly investorId: string,
    readonly channel: ReachChannel,
    readonly granted: boolean,
    readonly via: ConsentVia,
    readonly context: CommandContext,
  ) {}
}

export interface ConsentAnswer {
  investorId: string;
  channel: ReachChannel;
  granted: boolean;
  changed: boolean;
}

@CommandHandler(SetChannelConsentCommand)
export class SetChannelConsentHandler implements ICommandHandler<SetChannelConsentCommand, ConsentAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ investorId, channel, granted, via, context }: SetChannelConsentCommand): Promise<ConsentAnswer> {
    return this.aggregates.handle(
      consentDecider,
      consentStreamId(investorId),
      { type: 'SetChannelConsent', investorId, channel, granted, via, step: stepOf(context) },
      context,
      ({ state, events }) => ({ investorId, channel, granted: state.granted[channel], changed: events.length > 0 }),
    );
  }
}

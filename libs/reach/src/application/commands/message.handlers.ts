/** A message to one investor (product team), its opening by the investor, and a provider's delivery report. */
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, stepOf } from '@app/common';
import { AggregateStore } from '@app/platform';
import { CapCounters, raiseCapCounters } from '../../infrastructure/cap-counters';
import {
  ChannelCaps,
  consentDecider,
  consentStreamId,
  directMessageDecider,
  directMessageStreamId,
  dispatchDecider,
  dispatchStreamId,
  MessageDraft,
  messageStreamId,
  NO_CONSENT,
  openDecider,
  ReachChannel,
  refusalError,
} from '../../domain';

export class SendMessageCommand {
  constructor(
    readonly message: MessageDraft,
    readonly caps: ChannelCaps,
    readonly context: CommandContext,
  ) {}
}

export interface SentAnswer {
  messageId: string;
  investorId: string;
  channel: ReachChannel;
  productId: string | null;
  sentAt: string;
}

/**
 * G1 and G2 on one investor: consent read from the investor's consent stream (a condition of the append), then the
 * caps on the investor's counter for the channel, raised in the append's transaction (a counter raised by another
 * sender since it was read fails the write, and the send is decided again).
 */
@CommandHandler(SendMessageCommand)
export class SendMessageHandler implements ICommandHandler<SendMessageCommand, SentAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly counters: CapCounters,
  ) {}

  execute({ message, caps, context }: SendMessageCommand): Promise<SentAnswer> {
    const step = stepOf(context);
    return this.aggregates.handle(
      directMessageDecider,
      directMessageStreamId(message.messageId),
      async (reads) => {
        const { state: consent } = await reads.load(consentDecider, consentStreamId(message.investorId));
        if (!consent.granted[message.channel]) throw refusalError(NO_CONSENT);
        const counts = await this.counters.read([message.investorId], message.channel, step.at);
        return { type: 'Deliver' as const, message, caps, count: counts[message.investorId], step };
      },
      context,
      () => ({
        messageId: message.messageId,
        investorId: message.investorId,
        channel: message.channel,
        productId: message.productId,
        sentAt: step.at,
      }),
      { sideWrites: ({ events }) => (events.length > 0 ? [raiseCapCounters([message.investorId], message.channel, step.at, caps)] : []) },
    );
  }
}

export class OpenMessageCommand {
  constructor(
    readonly messageId: string,
    readonly investorId: string,
    readonly campaignId: string | null,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenMessageCommand)
export class OpenMessageHandler implements ICommandHandler<OpenMessageCommand, { messageId: string; openedAt: string }> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ messageId, investorId, campaignId, context }: OpenMessageCommand) {
    return this.aggregates.handle(
      openDecider,
      messageStreamId(messageId),
      { type: 'OpenMessage', messageId, investorId, campaignId, step: stepOf(context) },
      context,
      ({ state }) => ({ messageId, openedAt: state.status === 'opened' ? state.at : context.now.toISOString() }),
    );
  }
}

export class ReportDeliveriesCommand {
  constructor(
    readonly dispatchId: string,
    readonly channel: ReachChannel,
    readonly delivered: readonly string[],
    readonly failed: readonly { messageId: string; error: string }[],
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ReportDeliveriesCommand)
export class ReportDeliveriesHandler implements ICommandHandler<ReportDeliveriesCommand, { dispatchId: string }> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ dispatchId, channel, delivered, failed, context }: ReportDeliveriesCommand) {
    return this.aggregates.handle(
      dispatchDecider,
      dispatchStreamId(dispatchId),
      { type: 'ReportDeliveries', dispatchId, channel, delivered, failed, step: stepOf(context) },
      context,
      () => ({ dispatchId }),
    );
  }
}

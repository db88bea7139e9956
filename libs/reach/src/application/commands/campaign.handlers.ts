/** A campaign's life: created (product team), started (on request, when due, or on its trigger), its batches, its end. */
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, stepOf } from '@app/common';
import { AggregateStore, followOn } from '@app/platform';
import {
  CampaignCommand,
  campaignDecider,
  CampaignSpec,
  CampaignState,
  campaignStreamId,
  capDecider,
  capStreamId,
  ChannelCaps,
  MessageDraft,
  StartReason,
  TriggerFact,
} from '../../domain';

export interface CampaignAnswer {
  campaignId: string;
  status: CampaignState['status'];
  batches: number;
}

const answerOf = (campaignId: string, state: CampaignState): CampaignAnswer => ({
  campaignId,
  status: state.status,
  batches: state.status === 'running' || state.status === 'completed' ? state.batches : 0,
});

export class CreateCampaignCommand {
  constructor(
    readonly spec: CampaignSpec,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CreateCampaignCommand)
export class CreateCampaignHandler implements ICommandHandler<CreateCampaignCommand, CampaignAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ spec, context }: CreateCampaignCommand): Promise<CampaignAnswer> {
    return this.aggregates.handle(
      campaignDecider,
      campaignStreamId(spec.campaignId),
      { type: 'CreateCampaign', spec, step: stepOf(context) },
      context,
      ({ state }) => answerOf(spec.campaignId, state),
    );
  }
}

export class StartCampaignCommand {
  constructor(
    readonly campaignId: string,
    readonly reason: StartReason,
    readonly trigger: TriggerFact | null,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(StartCampaignCommand)
export class StartCampaignHandler implements ICommandHandler<StartCampaignCommand, CampaignAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ campaignId, reason, trigger, context }: StartCampaignCommand): Promise<CampaignAnswer> {
    return this.aggregates.handle(
      campaignDecider,
      campaignStreamId(campaignId),
      { type: 'StartCampaign', reason, trigger, step: stepOf(context) },
      context,
      ({ state }) => answerOf(campaignId, state),
    );
  }
}

export class FanOutBatchCommand {
  constructor(
    readonly campaignId: string,
    readonly batch: Omit<Extract<CampaignCommand, { type: 'RecordBatch' }>, 'type' | 'step'>,
    readonly messages: readonly MessageDraft[],
    readonly caps: ChannelCaps,
    readonly context: CommandContext,
  ) {}
}

/**
 * One fan-out batch: the campaign's checkpoint and every recipient's caps decision (G2) are appended by one statement,
 * so a batch is either wholly recorded or not at all, and a resumed run starts after the last recorded one. A
 * recipient's caps stream moved on by another sender fails the statement, and the batch is decided again from the log.
 */
@CommandHandler(FanOutBatchCommand)
export class FanOutBatchHandler implements ICommandHandler<FanOutBatchCommand, CampaignAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ campaignId, batch, messages, caps, context }: FanOutBatchCommand): Promise<CampaignAnswer> {
    const step = stepOf(context);
    return this.aggregates.handle(
      campaignDecider,
      campaignStreamId(campaignId),
      { type: 'RecordBatch', ...batch, step },
      context,
      ({ state }) => answerOf(campaignId, state),
      {
        // A batch already recorded sends nothing again. A caps stream is a week's: usually new, so it is decided
        // without a read unless this process remembers it; one that exists fails the append, and the batch is decided
        // again with it read from the log.
        followOns: ({ events }) =>
          events.length === 0
            ? []
            : messages.map((message) =>
                followOn(
                  capDecider,
                  capStreamId(message.investorId, message.channel, step.at),
                  { type: 'Deliver', message, caps, overCap: 'withhold', step },
                  { startsStream: true },
                ),
              ),
        // Nobody reads behind a fan-out batch: the next batch decides from the log and the caps streams.
        waitForProjections: false,
      },
    );
  }
}

export class CompleteCampaignCommand {
  constructor(
    readonly campaignId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CompleteCampaignCommand)
export class CompleteCampaignHandler implements ICommandHandler<CompleteCampaignCommand, CampaignAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  execute({ campaignId, context }: CompleteCampaignCommand): Promise<CampaignAnswer> {
    return this.aggregates.handle(
      campaignDecider,
      campaignStreamId(campaignId),
      { type: 'CompleteCampaign', step: stepOf(context) },
      context,
      ({ state }) => answerOf(campaignId, state),
    );
  }
}

/** A campaign's life: created (product team), started (on request, when due, or on its trigger), its batches, its end. */
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, conflict, notFound, stepOf } from '@app/common';
import { AggregateStore, followOn } from '@app/platform';
import {
  BatchRecipient,
  batchDecider,
  batchStreamId,
  CampaignCommand,
  campaignDecider,
  CampaignSpec,
  CampaignState,
  campaignStreamId,
  ChannelCaps,
  SendBatch,
  StartReason,
  TriggerFact,
} from '../../domain';
import { CapCounters, raiseCapCounters } from '../../infrastructure/cap-counters';

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
    readonly batch: Omit<Extract<CampaignCommand, { type: 'RecordBatch' }>, 'type' | 'step' | 'attempted'>,
    /** Recipients who passed consent (G1) and suitability (G3), each with a new message id. */
    readonly recipients: readonly BatchRecipient[],
    readonly caps: ChannelCaps,
    readonly context: CommandContext,
  ) {}
}

export interface BatchAnswer {
  campaignId: string;
  batch: number;
  /** Recipients sent the message, and withheld at a cap (G2), by this call (0 and 0 when the batch was already sent). */
  sent: number;
  withheld: number;
}

/**
 * One fan-out batch: its `reach.BatchSent` (every recipient sent or withheld at a cap, G2) on the batch's own stream
 * and the campaign's checkpoint are appended by one statement, and the recipients' cap counters are raised in its
 * transaction (conditionally: a counter another sender raised since it was read fails the write, and the batch is
 * decided again on fresh counts). A batch already recorded sends nothing again; a resumed run starts after the last
 * recorded one.
 */
@CommandHandler(FanOutBatchCommand)
export class FanOutBatchHandler implements ICommandHandler<FanOutBatchCommand, BatchAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly counters: CapCounters,
  ) {}

  execute({ campaignId, batch, recipients, caps, context }: FanOutBatchCommand): Promise<BatchAnswer> {
    const step = stepOf(context);
    const checkpoint: CampaignCommand = { type: 'RecordBatch', ...batch, attempted: recipients.length, step };
    return this.aggregates.handle(
      batchDecider,
      batchStreamId(campaignId, batch.batch),
      async (reads): Promise<SendBatch> => {
        const { state } = await reads.load(campaignDecider, campaignStreamId(campaignId));
        if (state.status === 'none') throw notFound('REACH.CAMPAIGN_NOT_FOUND', `no campaign ${campaignId}`);
        if (state.status !== 'running') throw conflict('REACH.CAMPAIGN_NOT_RUNNING', 'the campaign is not running');
        const { spec } = state;
        const investorIds = [...new Set(recipients.map((r) => r.investorId))];
        return {
          type: 'SendBatch',
          campaignId,
          batch: batch.batch,
          channel: spec.channel,
          productId: spec.template.productId,
          title: spec.template.title,
          body: spec.template.body,
          recipients,
          caps,
          counts: await this.counters.read(investorIds, spec.channel, step.at),
          step,
        };
      },
      context,
      ({ events }) => ({
        campaignId,
        batch: batch.batch,
        sent: events.reduce((n, e) => n + e.data.sent.length, 0),
        withheld: events.reduce((n, e) => n + e.data.withheld.length, 0),
      }),
      {
        // The checkpoint refuses a batch out of order or for a campaign not running; it goes with the batch or not at all.
        followOns: ({ events }) => (events.length === 0 ? [] : [followOn(campaignDecider, campaignStreamId(campaignId), checkpoint)]),
        sideWrites: ({ events }) =>
          events.map((e) =>
            raiseCapCounters(
              e.data.sent.map((r) => r.investorId),
              e.data.channel,
              e.data.step.at,
              e.data.caps,
            ),
          ),
        // Nobody reads behind a fan-out batch: the next batch decides from the log and the counters.
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

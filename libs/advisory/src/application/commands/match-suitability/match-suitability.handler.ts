import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, engagementDecider, engagementStreamId } from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { MatchSuitabilityCommand } from './match-suitability.command';

@CommandHandler(MatchSuitabilityCommand)
export class MatchSuitabilityHandler implements ICommandHandler<MatchSuitabilityCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: MatchSuitabilityCommand) {
    const engagementId = c.engagementId ?? this.ids.next();
    const stream = engagementStreamId(engagementId);
    const [{ snapshot }, product] = await Promise.all([
      this.readers.investor(c.context.actor.id, c.context.now),
      this.readers.product(c.productId, c.planId),
    ]);
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        // Matching again on an engagement is for its own investor only.
        if (c.engagementId) owned((await reads.load(engagementDecider, stream)).state, engagementId, c.context);
        return {
          type: 'MatchSuitability',
          engagementId,
          investor: snapshot,
          product,
          initiatedBy: c.initiatedBy,
          recommendationId: c.recommendationId,
          attributionWindowDays: this.settings.attributionWindowDays,
          step: stepOf(c.context),
        };
      },
      c.context,
      ({ state }) => engagementView(state),
    );
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { MatchSuitabilityCommand } from './match-suitability.command';

@CommandHandler(MatchSuitabilityCommand)
export class MatchSuitabilityHandler implements ICommandHandler<MatchSuitabilityCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: MatchSuitabilityCommand) {
    if (c.engagementId) await ownEngagement(this.store, c.engagementId, c.context);
    const engagementId = c.engagementId ?? this.ids.next();
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(c.context.actor.id, c.context.now), this.readers.product(c.productId, c.planId)]);
    const { state } = await this.store.execute(
      engagementDecider,
      engagementStreamId(engagementId),
      {
        type: 'MatchSuitability',
        engagementId,
        investor: snapshot,
        product,
        initiatedBy: c.initiatedBy, recommendationId: c.recommendationId,
        attributionWindowDays: this.settings.attributionWindowDays,
        step: stepOf(c.context),
      },
      c.context,
    );
    return engagementView(state);
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { ConfirmRiskDisclosureCommand } from './confirm-risk-disclosure.command';

@CommandHandler(ConfirmRiskDisclosureCommand)
export class ConfirmRiskDisclosureHandler implements ICommandHandler<ConfirmRiskDisclosureCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ConfirmRiskDisclosureCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    // The client names what it showed by hash; the decider refuses anything but the version this product requires.
    const document = { ...state.matching.requiredDocuments.riskDisclosure, contentHash: c.contentHash };
    const { state: next } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'ConfirmRiskDisclosure', engagementId: c.engagementId, document, step: stepOf(c.context) },
      c.context,
    );
    return engagementView(next);
  }
}

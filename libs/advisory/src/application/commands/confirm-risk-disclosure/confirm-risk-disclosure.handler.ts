import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { ConfirmRiskDisclosureCommand } from './confirm-risk-disclosure.command';

@CommandHandler(ConfirmRiskDisclosureCommand)
export class ConfirmRiskDisclosureHandler implements ICommandHandler<ConfirmRiskDisclosureCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: ConfirmRiskDisclosureCommand) {
    const stream = engagementStreamId(c.engagementId);
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        const state = owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        // The client names what it showed by hash; the decider refuses anything but the version this product requires.
        const document = { ...state.matching.requiredDocuments.riskDisclosure, contentHash: c.contentHash };
        return { type: 'ConfirmRiskDisclosure', engagementId: c.engagementId, document, step: stepOf(c.context) };
      },
      c.context,
      ({ state }) => engagementView(state),
    );
  }
}

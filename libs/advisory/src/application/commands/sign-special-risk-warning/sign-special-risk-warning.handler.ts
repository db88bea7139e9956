import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, engagementDecider, engagementStreamId, specialRiskWarningSigned } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { SignSpecialRiskWarningCommand } from './sign-special-risk-warning.command';

@CommandHandler(SignSpecialRiskWarningCommand)
export class SignSpecialRiskWarningHandler implements ICommandHandler<SignSpecialRiskWarningCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: SignSpecialRiskWarningCommand) {
    const stream = engagementStreamId(c.engagementId);
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        const state = owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        return {
          type: 'SignSpecialRiskWarning',
          engagementId: c.engagementId,
          document: specialRiskWarningSigned(state, c.contentHash),
          step: stepOf(c.context),
        };
      },
      c.context,
      ({ state }) => engagementView(state),
    );
  }
}

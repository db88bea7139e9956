import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ReviewProfessionalCommand } from './review-professional-application.command';

@CommandHandler(ReviewProfessionalCommand)
export class ReviewProfessionalHandler implements ICommandHandler<ReviewProfessionalCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ReviewProfessionalCommand) {
    const { state } = await this.store.execute(
      investorDecider,
      investorStreamId(c.investorId),
      { type: 'ReviewProfessionalApplication', applicationId: c.applicationId, approve: c.approve, reason: c.reason, reviewerRoles: c.context.actor.roles, step: stepOf(c.context) },
      c.context,
    );
    return { investorId: c.investorId, classification: state.status === 'open' ? state.classification : 'ordinary' };
  }
}

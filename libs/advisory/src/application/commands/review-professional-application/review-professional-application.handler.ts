import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ReviewProfessionalCommand } from './review-professional-application.command';

@CommandHandler(ReviewProfessionalCommand)
export class ReviewProfessionalHandler implements ICommandHandler<ReviewProfessionalCommand> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute(c: ReviewProfessionalCommand) {
    return this.aggregates.handle(
      investorDecider,
      investorStreamId(c.investorId),
      {
        type: 'ReviewProfessionalApplication',
        applicationId: c.applicationId,
        approve: c.approve,
        reason: c.reason,
        reviewerRoles: c.context.actor.roles,
        step: stepOf(c.context),
      },
      c.context,
      ({ state }) => ({ investorId: c.investorId, classification: state.status === 'open' ? state.classification : 'ordinary' }),
    );
  }
}

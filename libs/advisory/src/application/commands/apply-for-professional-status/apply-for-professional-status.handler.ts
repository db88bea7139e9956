import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ApplyForProfessionalCommand } from './apply-for-professional-status.command';

@CommandHandler(ApplyForProfessionalCommand)
export class ApplyForProfessionalHandler implements ICommandHandler<ApplyForProfessionalCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute({ evidence, context }: ApplyForProfessionalCommand) {
    const applicationId = this.ids.next();
    return this.aggregates.handle(
      investorDecider,
      investorStreamId(context.actor.id),
      { type: 'ApplyForProfessionalStatus', applicationId, evidence, step: stepOf(context) },
      context,
      () => ({ applicationId }),
    );
  }
}

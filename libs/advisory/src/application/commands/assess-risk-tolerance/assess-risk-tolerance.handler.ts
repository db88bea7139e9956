import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { InvestorEventType, investorDecider, investorStreamId, questionnaireNamed } from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { stepOf } from '../../step';
import { AssessRiskCommand } from './assess-risk-tolerance.command';

@CommandHandler(AssessRiskCommand)
export class AssessRiskHandler implements ICommandHandler<AssessRiskCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: AssessRiskCommand) {
    const questionnaire = questionnaireNamed(c.questionnaireVersion);
    if (questionnaire instanceof DomainError) throw questionnaire;
    const assessmentId = this.ids.next();
    return this.aggregates.handle(
      investorDecider,
      investorStreamId(c.context.actor.id),
      {
        type: 'AssessRiskTolerance',
        assessmentId,
        questionnaire,
        answers: c.answers,
        validity: this.settings.assessmentValidity,
        step: stepOf(c.context),
      },
      c.context,
      ({ events }) => {
        const assessed = events.find((event) => event.type === InvestorEventType.RiskAssessed);
        if (assessed?.type !== InvestorEventType.RiskAssessed) throw new Error('a risk assessment recorded no RiskAssessed event');
        const result = assessed.data;
        return {
          assessmentId,
          questionnaireVersion: questionnaire.version,
          score: result.score,
          category: result.category,
          lowestCategory: result.lowestCategory,
          validUntil: result.validUntil,
          validityPolicy: result.validityPolicy,
          confirmed: false,
        };
      },
    );
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { AssessmentRecord, CURRENT_QUESTIONNAIRE, InvestorState, QUESTIONNAIRES, investorDecider, investorStreamId } from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { stepOf } from '../../step';
import { AssessRiskCommand } from './assess-risk-tolerance.command';

const latestAssessment = (state: InvestorState): AssessmentRecord | undefined => (state.status === 'open' ? state.assessments[state.assessments.length - 1] : undefined);

@CommandHandler(AssessRiskCommand)
export class AssessRiskHandler implements ICommandHandler<AssessRiskCommand> {
  constructor(
    private readonly store: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: AssessRiskCommand) {
    const questionnaire = c.questionnaireVersion ? QUESTIONNAIRES[c.questionnaireVersion] : CURRENT_QUESTIONNAIRE;
    if (!questionnaire) throw new DomainError('not_found', 'ASSESSMENT.QUESTIONNAIRE_UNKNOWN', `no questionnaire ${c.questionnaireVersion}`);
    const assessmentId = this.ids.next();
    const { state } = await this.store.execute(
      investorDecider,
      investorStreamId(c.context.actor.id),
      { type: 'AssessRiskTolerance', assessmentId, questionnaire, answers: c.answers, validity: this.settings.assessmentValidity, step: stepOf(c.context) },
      c.context,
    );
    const result = latestAssessment(state)!;
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
  }
}

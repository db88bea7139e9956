/**
 * Use cases of the advisory investor (A1–A3, E3): open the account, apply for and review professional status, take
 * and confirm the risk assessment, report a material change, destroy the personal-data key.
 */
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator } from '@app/common';
import { AggregateStore, JsonLogger } from '@app/platform';
import {
  AssessmentRecord,
  CURRENT_QUESTIONNAIRE,
  InvestorState,
  OpenAccount,
  ProfessionalEvidence,
  QUESTIONNAIRES,
  SuitabilityProfile,
  investorDecider,
  investorStreamId,
} from '../../domain';
import { PiiVault } from '../../infrastructure/pii-vault';
import { stepOf } from '../step';

export interface OpenAccountInput {
  readonly legalName: string;
  readonly nationalId: string;
  readonly mobile: string;
  readonly profile: SuitabilityProfile;
  readonly sensitiveDataConsent: boolean;
  readonly consentTextHash: string;
}

export class OpenAccountCommand {
  constructor(
    readonly input: OpenAccountInput,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly vault: PiiVault,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    private readonly logger: JsonLogger,
  ) {}

  async execute({ input, context }: OpenAccountCommand) {
    const investorId = context.actor.id;
    const streamId = investorStreamId(investorId);
    const command = (piiRef: string): OpenAccount => ({
      type: 'OpenAccount',
      investorId,
      piiRef,
      legalName: input.legalName,
      nationalId: input.nationalId,
      mobile: input.mobile,
      profile: input.profile,
      sensitiveDataConsent: { given: input.sensitiveDataConsent, consentTextHash: input.consentTextHash },
      step: stepOf(context),
    });
    // Validate before anything reaches the vault, so refused data is never stored.
    const { state } = await this.store.load(investorDecider, streamId);
    const precheck = investorDecider.decide(command('pending'), state);
    if (precheck instanceof DomainError) throw precheck;
    const piiRef = await this.vault.put(investorId, this.ids.next(), {
      legalName: input.legalName.trim(),
      nationalId: input.nationalId.trim().toUpperCase(),
      mobile: input.mobile,
    });
    const { events } = await this.store.execute(investorDecider, streamId, command(piiRef), context);
    const opened = events[0];
    if (opened.type !== 'advisory.AccountOpened') throw new Error('account opening produced no AccountOpened event');
    const masked = { nationalIdMasked: opened.data.nationalIdMasked, mobileMasked: opened.data.mobileMasked, legalNameMasked: opened.data.legalNameMasked };
    // Logs, like events and responses, only ever see the masked forms (E3).
    this.logger.event('info', 'advisory', { msg: 'advisory account opened', investorId, ...masked, piiRef });
    return { investorId, ...masked };
  }
}

export class ApplyForProfessionalCommand {
  constructor(
    readonly evidence: ProfessionalEvidence,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ApplyForProfessionalCommand)
export class ApplyForProfessionalHandler implements ICommandHandler<ApplyForProfessionalCommand> {
  constructor(
    private readonly store: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute({ evidence, context }: ApplyForProfessionalCommand) {
    const applicationId = this.ids.next();
    await this.store.execute(investorDecider, investorStreamId(context.actor.id), { type: 'ApplyForProfessionalStatus', applicationId, evidence, step: stepOf(context) }, context);
    return { applicationId };
  }
}

export class ReviewProfessionalCommand {
  constructor(
    readonly investorId: string,
    readonly applicationId: string,
    readonly approve: boolean,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

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

export class AssessRiskCommand {
  constructor(
    readonly answers: Record<string, string>,
    readonly questionnaireVersion: string | undefined,
    readonly validityMonths: number | undefined,
    readonly context: CommandContext,
  ) {}
}

const latestAssessment = (state: InvestorState): AssessmentRecord | undefined => (state.status === 'open' ? state.assessments[state.assessments.length - 1] : undefined);

@CommandHandler(AssessRiskCommand)
export class AssessRiskHandler implements ICommandHandler<AssessRiskCommand> {
  constructor(
    private readonly store: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: AssessRiskCommand) {
    const questionnaire = c.questionnaireVersion ? QUESTIONNAIRES[c.questionnaireVersion] : CURRENT_QUESTIONNAIRE;
    if (!questionnaire) throw new DomainError('not_found', 'ASSESSMENT.QUESTIONNAIRE_UNKNOWN', `no questionnaire ${c.questionnaireVersion}`);
    const assessmentId = this.ids.next();
    const { state } = await this.store.execute(
      investorDecider,
      investorStreamId(c.context.actor.id),
      { type: 'AssessRiskTolerance', assessmentId, questionnaire, answers: c.answers, validityMonths: c.validityMonths, step: stepOf(c.context) },
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
      confirmed: false,
    };
  }
}

export class ConfirmAssessmentCommand {
  constructor(
    readonly assessmentId: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ConfirmAssessmentCommand)
export class ConfirmAssessmentHandler implements ICommandHandler<ConfirmAssessmentCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ConfirmAssessmentCommand) {
    const { state } = await this.store.execute(investorDecider, investorStreamId(c.context.actor.id), { type: 'ConfirmRiskAssessment', assessmentId: c.assessmentId, step: stepOf(c.context) }, c.context);
    const result = latestAssessment(state)!;
    return { assessmentId: result.assessmentId, category: result.category, lowestCategory: result.lowestCategory, validUntil: result.validUntil, confirmed: true };
  }
}

export class ReportMaterialChangeCommand {
  constructor(
    readonly description: string,
    readonly profile: SuitabilityProfile,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ReportMaterialChangeCommand)
export class ReportMaterialChangeHandler implements ICommandHandler<ReportMaterialChangeCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ReportMaterialChangeCommand) {
    const { events } = await this.store.execute(
      investorDecider,
      investorStreamId(c.context.actor.id),
      { type: 'ReportMaterialChange', description: c.description, profile: c.profile, step: stepOf(c.context) },
      c.context,
    );
    const reported = events[0];
    return { withdrawnAssessmentId: reported.type === 'advisory.MaterialChangeReported' ? reported.data.withdrawnAssessmentId : null, reassessmentRequired: true };
  }
}

export class ShredPersonalDataCommand {
  constructor(
    readonly investorId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ShredPersonalDataCommand)
export class ShredPersonalDataHandler implements ICommandHandler<ShredPersonalDataCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ShredPersonalDataCommand) {
    // The key is destroyed in the same transaction that records the shredding: both happen or neither does.
    await this.store.execute(investorDecider, investorStreamId(c.investorId), { type: 'ShredPersonalData', reason: c.reason, step: stepOf(c.context) }, c.context, {
      alongside: async (tx) => {
        await tx.query('DELETE FROM advisory_pii_keys WHERE subject_id = $1', [c.investorId]);
      },
    });
    return { investorId: c.investorId, shredded: true };
  }
}

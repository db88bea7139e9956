import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { CURRENT_SPECIAL_RISK_WARNING_VERSION, engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { SignSpecialRiskWarningCommand } from './sign-special-risk-warning.command';

@CommandHandler(SignSpecialRiskWarningCommand)
export class SignSpecialRiskWarningHandler implements ICommandHandler<SignSpecialRiskWarningCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: SignSpecialRiskWarningCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    const required = state.matching.requiredDocuments.specialRiskWarning;
    const document = required
      ? { ...required, contentHash: c.contentHash }
      : { documentId: 'special-risk-warning', kind: 'special_risk_warning' as const, version: CURRENT_SPECIAL_RISK_WARNING_VERSION, contentHash: c.contentHash };
    const { state: next } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'SignSpecialRiskWarning', engagementId: c.engagementId, document, step: stepOf(c.context) },
      c.context,
    );
    return engagementView(next);
  }
}

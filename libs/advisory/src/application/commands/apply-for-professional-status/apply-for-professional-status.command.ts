import { CommandContext } from '@app/common';
import { ProfessionalEvidence } from '../../../domain';

export class ApplyForProfessionalCommand {
  constructor(
    readonly evidence: ProfessionalEvidence,
    readonly context: CommandContext,
  ) {}
}

import { CommandContext } from '@app/common';

export class ConfirmAssessmentCommand {
  constructor(
    readonly assessmentId: string,
    readonly context: CommandContext,
  ) {}
}

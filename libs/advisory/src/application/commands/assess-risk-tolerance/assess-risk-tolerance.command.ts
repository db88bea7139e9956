import { CommandContext } from '@app/common';

export class AssessRiskCommand {
  constructor(
    readonly answers: Record<string, string>,
    readonly questionnaireVersion: string | undefined,
    readonly validityMonths: number | undefined,
    readonly context: CommandContext,
  ) {}
}

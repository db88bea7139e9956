import { CommandContext } from '@app/common';

/** The investor's answers; how long the result stays valid is the firm's policy, never the investor's input (A3). */
export class AssessRiskCommand {
  constructor(
    readonly answers: Record<string, string>,
    readonly questionnaireVersion: string | undefined,
    readonly context: CommandContext,
  ) {}
}

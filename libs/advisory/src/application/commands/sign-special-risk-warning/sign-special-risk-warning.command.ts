import { CommandContext } from '@app/common';

export class SignSpecialRiskWarningCommand {
  constructor(
    readonly engagementId: string,
    /** sha256 of the exact special risk warning text shown */
    readonly contentHash: string,
    readonly context: CommandContext,
  ) {}
}

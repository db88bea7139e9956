import { CommandContext } from '@app/common';

export class ConfirmRiskDisclosureCommand {
  constructor(
    readonly engagementId: string,
    /** sha256 of the exact risk disclosure text shown */
    readonly contentHash: string,
    readonly context: CommandContext,
  ) {}
}

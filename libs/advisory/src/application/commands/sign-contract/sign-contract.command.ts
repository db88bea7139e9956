import { CommandContext } from '@app/common';

export class SignContractCommand {
  constructor(
    readonly engagementId: string,
    /** the contract serial number */
    readonly serial: string,
    readonly context: CommandContext,
  ) {}
}

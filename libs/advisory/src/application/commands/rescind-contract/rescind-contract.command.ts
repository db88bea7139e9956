import { CommandContext } from '@app/common';

export class RescindContractCommand {
  constructor(
    readonly engagementId: string,
    /** the written rescission notice */
    readonly notice: string,
    readonly context: CommandContext,
  ) {}
}

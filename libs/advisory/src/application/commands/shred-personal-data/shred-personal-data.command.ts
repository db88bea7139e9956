import { CommandContext } from '@app/common';

export class ShredPersonalDataCommand {
  constructor(
    readonly investorId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

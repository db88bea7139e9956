import { CommandContext } from '@app/common';

/** The investor signs; the serial is assigned by the server from the year's register (A6). */
export class SignContractCommand {
  constructor(
    readonly engagementId: string,
    /** The hash of the preview the investor saw, if the client sends it. */
    readonly shownHash: string | undefined,
    readonly context: CommandContext,
  ) {}
}

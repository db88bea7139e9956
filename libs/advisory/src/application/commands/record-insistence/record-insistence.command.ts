import { CommandContext } from '@app/common';

export class RecordInsistenceCommand {
  constructor(
    readonly engagementId: string,
    /** the investor's own words */
    readonly statement: string,
    readonly context: CommandContext,
  ) {}
}

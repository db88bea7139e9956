import { CommandContext } from '@app/common';

export class ReviewProfessionalCommand {
  constructor(
    readonly investorId: string,
    readonly applicationId: string,
    readonly approve: boolean,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

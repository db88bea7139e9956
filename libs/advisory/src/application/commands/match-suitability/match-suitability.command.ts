import { CommandContext } from '@app/common';
import { Initiator } from '../../../domain';

export class MatchSuitabilityCommand {
  constructor(
    readonly productId: string,
    readonly planId: string | undefined,
    readonly initiatedBy: Initiator,
    readonly recommendationId: string | undefined,
    /** Set to match again within an existing engagement (after a re-rating blocked its renewal). */
    readonly engagementId: string | undefined,
    readonly context: CommandContext,
  ) {}
}

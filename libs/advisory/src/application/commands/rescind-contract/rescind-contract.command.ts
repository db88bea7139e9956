import { CommandContext } from '@app/common';
import { CompleteIdempotency } from '@app/payments';

export class RescindContractCommand {
  constructor(
    readonly engagementId: string,
    /** the written rescission notice */
    readonly notice: string,
    readonly context: CommandContext,
    /** Records the response with the events (the Idempotency-Key of the request). */
    readonly complete: CompleteIdempotency,
  ) {}
}

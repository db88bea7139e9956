import { CommandContext } from '@app/common';
import { ReturnVisitChecklist } from '../../../domain';

export class CompleteReturnVisitCommand {
  constructor(
    readonly engagementId: string,
    readonly checklist: Partial<ReturnVisitChecklist>,
    readonly notes: string,
    readonly context: CommandContext,
  ) {}
}

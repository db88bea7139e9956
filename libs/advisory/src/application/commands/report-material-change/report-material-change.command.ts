import { CommandContext } from '@app/common';
import { SuitabilityProfile } from '../../../domain';

export class ReportMaterialChangeCommand {
  constructor(
    readonly description: string,
    readonly profile: SuitabilityProfile,
    readonly context: CommandContext,
  ) {}
}

import { CommandContext } from '@app/common';
import { AdviceBasis } from '../../../domain';

export class PublishAdviceCommand {
  constructor(
    readonly productId: string,
    readonly content: string,
    readonly basis: AdviceBasis,
    readonly context: CommandContext,
  ) {}
}

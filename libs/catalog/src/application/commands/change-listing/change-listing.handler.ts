import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@app/common';
import { AggregateStore } from '@app/platform';
import { ListingCommand, ListingState, listingDecider, listingStreamId } from '../../../domain/listing';

type Change = ListingCommand extends infer C
  ? C extends { type: infer T }
    ? T extends 'DraftListing'
      ? never
      : Omit<C, 'listingId' | 'actor' | 'at'>
    : never
  : never;

/**
 * Every step of an existing listing's life (revise, submit, review, publish, retire, risk-rating changes) is the same
 * use case shape: load the listing, let the decider rule, append. The decider holds the rules (L1–L4, V1, V3).
 */
export class ChangeListingCommand implements ICommand {
  constructor(
    readonly listingId: string,
    readonly change: Change,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeListingCommand)
export class ChangeListingHandler implements ICommandHandler<ChangeListingCommand, ListingState> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ listingId, change, context }: ChangeListingCommand): Promise<ListingState> {
    const command = { ...change, listingId, actor: context.actor, at: context.now.toISOString() } as ListingCommand;
    return this.aggregates.handle(listingDecider, listingStreamId(listingId), command, context, ({ state }) => state);
  }
}

import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { ListingContent, listingDecider, listingStreamId } from '../../../domain/listing';

export class DraftListingCommand implements ICommand {
  constructor(
    readonly content: ListingContent,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(DraftListingCommand)
export class DraftListingHandler implements ICommandHandler<DraftListingCommand, { listingId: string }> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ content, context }: DraftListingCommand): Promise<{ listingId: string }> {
    const listingId = this.ids.next();
    return this.aggregates.handle(
      listingDecider,
      listingStreamId(listingId),
      { type: 'DraftListing', listingId, actor: context.actor, at: context.now.toISOString(), content },
      context,
      () => ({ listingId }),
    );
  }
}

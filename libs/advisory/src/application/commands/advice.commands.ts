/** A9: an advisor publishes advice to the subscribers of their product, with its basis, through the content guard (V3). */
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, IdGenerator } from '@app/common';
import { checkContent } from '@app/catalog';
import { AggregateStore } from '@app/platform';
import { AdviceBasis, adviceStreamId, makeAdviceDecider } from '../../domain';
import { AdvisoryReaders } from '../readers';
import { stepOf } from '../step';

const adviceDecider = makeAdviceDecider(checkContent);

export class PublishAdviceCommand {
  constructor(
    readonly productId: string,
    readonly content: string,
    readonly basis: AdviceBasis,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(PublishAdviceCommand)
export class PublishAdviceHandler implements ICommandHandler<PublishAdviceCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: PublishAdviceCommand) {
    const product = await this.readers.product(c.productId);
    const adviceId = this.ids.next();
    const { events } = await this.store.execute(
      adviceDecider,
      adviceStreamId(adviceId),
      {
        type: 'PublishAdvice',
        adviceId,
        productId: c.productId,
        productAdvisors: product.advisors,
        authorRoles: c.context.actor.roles,
        content: c.content,
        basis: c.basis,
        step: stepOf(c.context),
      },
      c.context,
    );
    return { adviceId, contentHash: events[0].data.contentHash };
  }
}

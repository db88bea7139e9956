import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator, checkContent } from '@app/common';
import { AggregateStore } from '@app/platform';
import { adviceStreamId, makeAdviceDecider } from '../../../domain';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { PublishAdviceCommand } from './publish-advice.command';

const adviceDecider = makeAdviceDecider(checkContent);

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

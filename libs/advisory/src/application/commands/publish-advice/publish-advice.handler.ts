import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator, checkContent } from '@app/common';
import { AggregateStore } from '@app/platform';
import { AdviceEventType, adviceStreamId, makeAdviceDecider } from '../../../domain';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { PublishAdviceCommand } from './publish-advice.command';

const adviceDecider = makeAdviceDecider(checkContent);

@CommandHandler(PublishAdviceCommand)
export class PublishAdviceHandler implements ICommandHandler<PublishAdviceCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: PublishAdviceCommand) {
    const product = await this.readers.product(c.productId);
    const adviceId = this.ids.next();
    return this.aggregates.handle(
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
      ({ events }) => {
        const published = events.find((event) => event.type === AdviceEventType.AdvicePublished);
        if (!published) throw new Error('publishing advice recorded no AdvicePublished event');
        return { adviceId, contentHash: published.data.contentHash };
      },
    );
  }
}

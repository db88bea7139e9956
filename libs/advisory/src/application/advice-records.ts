/**
 * Advisory's public way for another context to publish advice as part of its own decision (community's group advice):
 * the advice record (A9: the product's registered advisor, the basis, the content guard) as a follow-on of the
 * caller's decision, appended by the same statement, so the caller's record and the advice exist together or not at
 * all. The product is read with the decision's reads, so a change to its advisors fails the append.
 */
import { Injectable } from '@nestjs/common';
import { CommandContext, checkContent, stepOf } from '@app/common';
import { DecisionReads, FollowOn, followOn } from '@app/platform';
import { AdviceBasis, adviceStreamId, makeAdviceDecider } from '../domain';
import { AdvisoryReaders } from './readers';

const adviceDecider = makeAdviceDecider(checkContent);

@Injectable()
export class AdviceRecords {
  constructor(private readonly readers: AdvisoryReaders) {}

  /** The advice record `adviceId` as a follow-on; throws PRODUCT.NOT_FOUND when the product does not exist. */
  async publication(
    reads: DecisionReads,
    advice: { readonly adviceId: string; readonly productId: string; readonly content: string; readonly basis: AdviceBasis },
    context: CommandContext,
  ): Promise<FollowOn> {
    const product = await this.readers.product(advice.productId, undefined, reads);
    return followOn(
      adviceDecider,
      adviceStreamId(advice.adviceId),
      {
        type: 'PublishAdvice',
        adviceId: advice.adviceId,
        productId: advice.productId,
        productAdvisors: product.advisors,
        authorRoles: context.actor.roles,
        content: advice.content,
        basis: advice.basis,
        step: stepOf(context),
      },
      { startsStream: true },
    );
  }
}

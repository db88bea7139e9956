import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@app/common';
import { listingDecider, listingStreamId } from '@app/catalog';
import { AggregateStore } from '@app/platform';
import { CouponTerms, TargetFamily, couponDecider, couponStreamId, normalisedTerms } from '../../../domain/coupon';

export class IssueCouponCommand implements ICommand {
  constructor(
    readonly terms: CouponTerms,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(IssueCouponCommand)
export class IssueCouponHandler implements ICommandHandler<IssueCouponCommand, { code: string }> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ terms, context }: IssueCouponCommand): Promise<{ code: string }> {
    const normalised = normalisedTerms(terms);
    return this.aggregates.handle(
      couponDecider,
      couponStreamId(normalised.code),
      // The families come from the listings' streams, and the append checks none of them changed since (V2).
      async (reads) => {
        const targets: Record<string, TargetFamily> = {};
        for (const listingId of normalised.listingIds) {
          const { state } = await reads.load(listingDecider, listingStreamId(listingId));
          targets[listingId] = state.status === 'none' ? 'unknown' : state.family;
        }
        return { type: 'IssueCoupon' as const, terms: normalised, targets, actor: context.actor, at: context.now.toISOString() };
      },
      context,
      () => ({ code: normalised.code }),
    );
  }
}

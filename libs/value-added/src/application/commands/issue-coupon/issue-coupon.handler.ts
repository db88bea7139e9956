import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext } from '@app/common';
import { AggregateStore } from '@app/platform';
import { CouponTerms, couponDecider, couponStreamId } from '../../../domain/coupon';

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
    const normalised = { ...terms, code: terms.code.toUpperCase() };
    await this.aggregates.execute(couponDecider, couponStreamId(normalised.code), { type: 'IssueCoupon', terms: normalised, actor: context.actor, at: context.now.toISOString() }, context);
    return { code: normalised.code };
  }
}

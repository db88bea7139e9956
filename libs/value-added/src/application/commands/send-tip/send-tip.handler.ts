import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ageOn, CommandContext, IdGenerator, investorTipsDecider, investorTipsStreamId, ruleViolation, tippedOnDay } from '@app/common';
import { CatalogQueries } from '@app/catalog';
import { UserView } from '@app/identity';
import { PaymentsService } from '@app/payments';
import { AggregateStore, APP_CONFIG, AppConfig, ConfigError, followOn } from '@app/platform';
import { businessDate } from '../../../domain/periods';
import { DEFAULT_TIPPING_POLICY, TipEventTypes, TippingPolicy, tippingDecider, tippingStreamId } from '../../../domain/tipping';

export class SendTipCommand implements ICommand {
  constructor(
    readonly targetListingId: string,
    readonly amountMinor: number,
    readonly currency: string,
    readonly message: string | undefined,
    readonly paymentMethod: string,
    readonly context: CommandContext,
  ) {}
}

const policyFrom = (config: AppConfig): TippingPolicy => {
  const read = (name: string, fallback: number) =>
    config.env[name] === undefined || config.env[name] === '' ? fallback : Number(config.env[name]);
  const policy = {
    ...DEFAULT_TIPPING_POLICY,
    minMinor: read('TIP_MIN_MINOR', DEFAULT_TIPPING_POLICY.minMinor),
    maxMinor: read('TIP_MAX_MINOR', DEFAULT_TIPPING_POLICY.maxMinor),
    dailyCapMinor: read('TIP_DAILY_CAP_MINOR', DEFAULT_TIPPING_POLICY.dailyCapMinor),
  };
  const problems = (['minMinor', 'maxMinor', 'dailyCapMinor'] as const)
    .filter((key) => !Number.isSafeInteger(policy[key]) || policy[key] < 1)
    .map((key) => `TIP_${key}: expected a positive integer`);
  if (policy.minMinor > policy.maxMinor) problems.push('TIP_MIN_MINOR must not exceed TIP_MAX_MINOR');
  if (problems.length) throw new ConfigError(problems);
  return policy;
};

/** V4: a tip to a published live-stream target, within bounds and the daily cap, from an adult, with a clean message. */
@CommandHandler(SendTipCommand)
export class SendTipHandler implements ICommandHandler<SendTipCommand, { tipId: string; paymentId: string; status: string }> {
  private readonly policy: TippingPolicy;

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly catalog: CatalogQueries,
    private readonly payments: PaymentsService,
    private readonly ids: IdGenerator,
    @InjectRepository(UserView) private readonly users: Repository<UserView>,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = policyFrom(config);
  }

  async execute({ targetListingId, amountMinor, currency, message, paymentMethod, context }: SendTipCommand) {
    const investorId = context.actor.id;
    const at = context.now.toISOString();
    const target = await this.catalog.getPublished(targetListingId);
    const user = await this.users.findOneBy({ userId: investorId });
    // Minors cannot tip; without a verified date of birth nobody can tell, so the tip is refused.
    if (!user?.dateOfBirth) throw ruleViolation('TIPPING.AGE_UNKNOWN', 'V4', 'a date of birth is needed before tipping');
    const tipId = this.ids.next();
    const paymentId = this.ids.next();
    const day = businessDate(at);
    const tipping = investorTipsStreamId(investorId);
    const answer = await this.aggregates.handle(
      tippingDecider,
      tippingStreamId(investorId),
      async (reads) => ({
        type: 'SendTip' as const,
        tipId,
        investorId,
        targetListingId,
        targetKind: target.kind,
        amountMinor,
        currency,
        message,
        investorAge: ageOn(String(user.dateOfBirth).slice(0, 10), day),
        // V4 across contexts: the investor's tipping stream, read by this decision, is a condition of its append.
        tippedTodayMinor: tippedOnDay((await reads.load(investorTipsDecider, tipping)).state, day),
        paymentId,
        policy: this.policy,
        at,
      }),
      context,
      () => ({ tipId, paymentId, status: 'sent' }),
      {
        // The payment request and the count against the daily cap are appended by the same statement as the tip.
        followOns: ({ events }) =>
          events.some((event) => event.type === TipEventTypes.Sent)
            ? [
                followOn(investorTipsDecider, tipping, {
                  type: 'CountTip',
                  tipId,
                  source: 'value-added',
                  businessDate: day,
                  amountMinor,
                  currency,
                  at,
                }),
                this.payments.paymentRequest(
                  { paymentId, payerId: investorId, amountMinor, currency, purpose: 'tip', referenceId: tipId, method: paymentMethod },
                  context,
                ),
              ]
            : [],
      },
    );
    this.payments.charge({ paymentId, amountMinor, currency, method: paymentMethod });
    return answer;
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  CommandContext,
  IdGenerator,
  ageOn,
  conflict,
  forbidden,
  investorTipsDecider,
  investorTipsStreamId,
  invalid,
  money,
  ruleViolation,
  stepOf,
  tippedOnDay,
} from '@app/common';
import { UserView } from '@app/identity';
import { PaymentsService, paymentDecider, paymentStreamId, refundableMinor } from '@app/payments';
import { AggregateStore, followOn } from '@app/platform';
import {
  CommunityTipEventTypes,
  TipTarget,
  chinaBusinessDate,
  communityTipsDecider,
  communityTipsStreamId,
  hostDecider,
  hostStreamId,
  tipPaymentReference,
} from '../../domain';
import { CommunityReads } from '../reads';
import { COMMUNITY_SETTINGS, CommunitySettings } from '../settings';

export class SendCommunityTipCommand {
  constructor(
    readonly target: TipTarget,
    readonly amountMinor: number,
    readonly currency: string,
    readonly message: string | undefined,
    readonly paymentMethod: string,
    readonly context: CommandContext,
  ) {}
}

/**
 * V4 tips to a host: during a live session (to its host) or on a post whose author hosts. The payment request is
 * appended with the tip; its capture pays the tip and credits the host's share (tip-outcomes.ts), by one statement.
 */
@CommandHandler(SendCommunityTipCommand)
export class SendCommunityTipHandler implements ICommandHandler<SendCommunityTipCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    private readonly payments: PaymentsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @InjectRepository(UserView) private readonly users: Repository<UserView>,
    @Inject(COMMUNITY_SETTINGS) private readonly settings: CommunitySettings,
  ) {}

  private async hostOf(target: TipTarget, investorId: string): Promise<string> {
    if (target.kind === 'live_session') {
      const session = await this.reads.session(target.id);
      if (session.status !== 'live') throw conflict('COMMUNITY.SESSION_NOT_LIVE', 'tips go to a live session while it is live');
      if (!(await this.reads.role(session.groupId, investorId)))
        throw forbidden('COMMUNITY.NOT_A_MEMBER', 'only members of the group tip in its sessions');
      return session.hostId;
    }
    const post = await this.reads.post(target.id);
    if (post.status !== 'visible') throw conflict('COMMUNITY.POST_NOT_VISIBLE', 'tips go to visible posts');
    if (!(await this.reads.isHost(post.authorId)))
      throw conflict('COMMUNITY.TIP_TARGET_NO_HOST', 'tips on posts go to hosts; this author is not one');
    if (!(await this.reads.role(post.groupId, investorId)))
      throw forbidden('COMMUNITY.NOT_A_MEMBER', 'only members of the group tip its posts');
    return post.authorId;
  }

  async execute({ target, amountMinor, currency, message, paymentMethod, context }: SendCommunityTipCommand) {
    const investorId = context.actor.id;
    const hostId = await this.hostOf(target, investorId);
    if (hostId === investorId) throw invalid('COMMUNITY.TIP_SELF', 'hosts do not tip themselves');
    const user = await this.users.findOneBy({ userId: investorId });
    if (!user?.dateOfBirth) throw ruleViolation('TIPPING.AGE_UNKNOWN', 'V4', 'a date of birth is needed before tipping');
    const tipId = this.ids.next();
    const paymentId = this.ids.next();
    const step = stepOf(context);
    const amount = money(amountMinor, currency);
    const businessDate = chinaBusinessDate(step.at);
    const tipping = investorTipsStreamId(investorId);
    const answer = await this.aggregates.handle(
      communityTipsDecider,
      communityTipsStreamId(investorId),
      async (reads) => ({
        type: 'SendTip' as const,
        tipId,
        investorId,
        target,
        hostId,
        amount,
        message: message ?? null,
        investorAge: ageOn(String(user.dateOfBirth).slice(0, 10), businessDate),
        // V4 across contexts: the investor's tipping stream, read by this decision, is a condition of its append.
        tippedTodayMinor: tippedOnDay((await reads.load(investorTipsDecider, tipping)).state, businessDate),
        paymentId,
        policy: this.settings.tipping,
        step,
      }),
      context,
      () => ({ tipId, paymentId, hostId, target, amountMinor, currency, status: 'sent' }),
      {
        followOns: ({ events }) =>
          events.some((event) => event.type === CommunityTipEventTypes.Sent)
            ? [
                followOn(investorTipsDecider, tipping, {
                  type: 'CountTip',
                  tipId,
                  source: 'community',
                  businessDate,
                  amountMinor,
                  currency,
                  at: step.at,
                }),
                this.payments.paymentRequest(
                  {
                    paymentId,
                    payerId: investorId,
                    amountMinor,
                    currency,
                    purpose: 'community_tip',
                    referenceId: tipPaymentReference(tipId, hostId),
                    method: paymentMethod,
                  },
                  context,
                ),
              ]
            : [],
      },
    );
    // The payments outbox re-drives the charge if this process stops before the provider hears of it.
    this.payments.charge({ paymentId, amountMinor, currency, method: paymentMethod });
    return answer;
  }
}

export class RefundCommunityTipCommand {
  constructor(
    readonly tipId: string,
    readonly reason: string,
    readonly context: CommandContext,
    /** The part to give back; null: all that is still refundable. */
    readonly amountMinor: number | null = null,
  ) {}
}

/**
 * Compliance refunds a paid tip, in part or in full (E1: a new event referencing the payment; several partial refunds
 * never above what was captured). The host's share is reversed in proportion when the provider completes the refund
 * (tip-outcomes.ts, host.ts `reversalOf`), by the statement that records it.
 */
@CommandHandler(RefundCommunityTipCommand)
export class RefundCommunityTipHandler implements ICommandHandler<RefundCommunityTipCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
    private readonly payments: PaymentsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute({ tipId, reason, context, amountMinor }: RefundCommunityTipCommand) {
    const tip = await this.reads.tip(tipId);
    if (tip.status !== 'paid') throw conflict('COMMUNITY.TIP_NOT_PAID', `the tip is ${tip.status}: only a paid tip is refunded`, 'E1');
    const refundId = this.ids.next();
    const stream = paymentStreamId(tip.paymentId);
    let refunded = 0;
    const answer = await this.aggregates.handle(
      paymentDecider,
      stream,
      async (reads) => {
        const payment = (await reads.load(paymentDecider, stream)).state;
        refunded = amountMinor ?? refundableMinor(payment);
        return {
          type: 'RequestRefund' as const,
          paymentId: tip.paymentId,
          refundId,
          amountMinor: refunded,
          reason,
          actorId: context.actor.id,
          at: context.now.toISOString(),
        };
      },
      context,
      ({ state }) => ({
        tipId,
        paymentId: tip.paymentId,
        refundId,
        amountMinor: refunded,
        currency: state.status === 'none' ? 'CNY' : state.currency,
        status: 'refund_requested',
      }),
    );
    this.payments.startRefund({ paymentId: answer.paymentId, refundId, amountMinor: answer.amountMinor, currency: answer.currency });
    return answer;
  }
}

export class ChargebackCommunityTipCommand {
  constructor(
    readonly tipId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

/** A chargeback the provider reported, recorded by compliance: the tip and the host's share are reversed together. */
@CommandHandler(ChargebackCommunityTipCommand)
export class ChargebackCommunityTipHandler implements ICommandHandler<ChargebackCommunityTipCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly reads: CommunityReads,
  ) {}

  async execute({ tipId, reason, context }: ChargebackCommunityTipCommand) {
    const tip = await this.reads.tip(tipId);
    const step = stepOf(context);
    return this.aggregates.handle(
      communityTipsDecider,
      communityTipsStreamId(tip.investorId),
      { type: 'ReverseTip', tipId, cause: 'chargeback', reason, refundId: null, refundedMinor: null, step },
      context,
      () => ({ tipId, status: 'reversed', cause: 'chargeback' }),
      {
        followOns: ({ events }) =>
          events.length
            ? [
                followOn(
                  hostDecider,
                  hostStreamId(tip.hostId),
                  { type: 'ReverseTip', tipId, cause: 'chargeback', refundId: null, refundedMinor: null, step },
                  { existingOnly: true },
                ),
              ]
            : [],
      },
    );
  }
}

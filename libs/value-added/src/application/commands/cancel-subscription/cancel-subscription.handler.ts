import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandContext, IdGenerator, notFound } from '@app/common';
import { PaymentsService, refundRequest } from '@app/payments';
import { AggregateStore } from '@app/platform';
import {
  RefundMode,
  SubscriptionEvent,
  SubscriptionEventTypes,
  subscriptionDecider,
  subscriptionStreamId,
} from '../../../domain/subscription';
import { SubscriptionView } from '../../../projections/read-models.entity';

export type CancelRequest =
  { readonly mode: 'at_period_end' } | { readonly mode: 'immediately'; readonly refundMode: RefundMode } | { readonly mode: 'withdraw' };

export class CancelSubscriptionCommand implements ICommand {
  constructor(
    readonly subscriptionId: string,
    readonly request: CancelRequest,
    readonly context: CommandContext,
  ) {}
}

export interface CancelOutcome {
  readonly subscriptionId: string;
  readonly status: string;
  readonly cancelAtPeriodEnd: boolean;
  readonly accessUntil: string | null;
  readonly refund: { readonly refundId: string; readonly amountMinor: number } | null;
}

/** Cancel at period end (access until then), cancel now with an explicit refund mode, or withdraw a scheduled cancellation. */
@CommandHandler(CancelSubscriptionCommand)
export class CancelSubscriptionHandler implements ICommandHandler<CancelSubscriptionCommand, CancelOutcome> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly payments: PaymentsService,
    private readonly ids: IdGenerator,
    @InjectRepository(SubscriptionView) private readonly subscriptions: Repository<SubscriptionView>,
  ) {}

  async execute({ subscriptionId, request, context }: CancelSubscriptionCommand): Promise<CancelOutcome> {
    const view = await this.subscriptions.findOneBy({ subscriptionId });
    // Another investor's subscription is answered like a missing one.
    if (!view || view.investorId !== context.actor.id)
      throw notFound('SUBSCRIPTION.NOT_FOUND', `subscription ${subscriptionId} does not exist`);
    const at = context.now.toISOString();
    const actorId = context.actor.id;
    const refundId = this.ids.next();
    const command =
      request.mode === 'at_period_end'
        ? ({ type: 'CancelAtPeriodEnd', subscriptionId, actorId, at } as const)
        : request.mode === 'withdraw'
          ? ({ type: 'WithdrawCancellation', subscriptionId, actorId, at } as const)
          : ({ type: 'CancelImmediately', subscriptionId, actorId, refundMode: request.refundMode, refundId, at } as const);
    const reason = `subscription ${subscriptionId} canceled immediately`;
    return this.aggregates.handle(
      subscriptionDecider,
      subscriptionStreamId(view.investorId, view.listingId),
      command,
      context,
      ({ state, events }): CancelOutcome => {
        const refund = refundOf(events);
        return {
          subscriptionId,
          status: state.current?.status ?? 'unknown',
          cancelAtPeriodEnd: state.current?.cancelAtPeriodEnd ?? false,
          accessUntil: state.current?.status === 'canceled' ? at : (state.current?.periodEnd ?? null),
          refund: refund ? { refundId: refund.refundId, amountMinor: refund.amountMinor } : null,
        };
      },
      {
        // The refund request is appended by the statement that records the cancellation.
        followOns: ({ events }) => {
          const refund = refundOf(events);
          return refund
            ? [
                refundRequest(
                  {
                    paymentId: refund.paymentId,
                    refundId: refund.refundId,
                    amountMinor: refund.amountMinor,
                    reason: `${reason} (${refund.mode} refund)`,
                  },
                  context,
                ),
              ]
            : [];
        },
        afterCommit: ({ events }) => {
          const refund = refundOf(events);
          if (refund)
            this.payments.startRefund({
              paymentId: refund.paymentId,
              refundId: refund.refundId,
              amountMinor: refund.amountMinor,
              currency: refund.currency,
            });
        },
      },
    );
  }
}

/** The refund a cancellation decided, when it moves money. */
const refundOf = (events: readonly SubscriptionEvent[]) => {
  const canceled = events.find((event) => event.type === SubscriptionEventTypes.Canceled);
  return canceled?.type === SubscriptionEventTypes.Canceled && isRefunded(canceled.data.refund) ? canceled.data.refund : undefined;
};

/** A cancellation's refund that moves money. */
const isRefunded = <R extends { paymentId?: string | null; refundId?: string | null; amountMinor: number }>(
  refund: R,
): refund is R & { paymentId: string; refundId: string } => Boolean(refund.paymentId && refund.refundId && refund.amountMinor > 0);

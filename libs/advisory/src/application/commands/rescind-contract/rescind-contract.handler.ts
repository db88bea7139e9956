import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, IdGenerator } from '@app/common';
import { PaymentCommand, paymentDecider, paymentStreamId } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { RescindContractCommand } from './rescind-contract.command';

/**
 * A8: the rescission and, in the same transaction, a full refund of every captured payment under the contract (or
 * the cancellation of a payment not captured yet).
 */
@CommandHandler(RescindContractCommand)
export class RescindContractHandler implements ICommandHandler<RescindContractCommand> {
  constructor(
    private readonly store: AggregateStore,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: RescindContractCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    const payments = await Promise.all(
      (state.subscription?.payments ?? []).map(async (p) => ({ ...p, loaded: await this.store.load(paymentDecider, paymentStreamId(p.paymentIntentId)) })),
    );
    const refundId = this.ids.next();
    const at = c.context.now.toISOString();
    const { state: next, events } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'RescindContract', engagementId: c.engagementId, notice: c.notice, refundId, step: stepOf(c.context) },
      c.context,
      {
        alongside: async (tx, { events: decided }) => {
          if (decided.length === 0) return;
          for (const [index, payment] of payments.entries()) {
            const paymentCommand: PaymentCommand =
              payment.loaded.state.status === 'captured'
                ? {
                    type: 'RequestRefund',
                    paymentId: payment.paymentIntentId,
                    at,
                    refundId: index === 0 ? refundId : `${refundId}-${index}`,
                    amountMinor: payment.price.amountMinor,
                    reason: 'advisory contract rescinded within the rescission period (A8)',
                    actorId: c.context.actor.id,
                  }
                : { type: 'FailPayment', paymentId: payment.paymentIntentId, at, reason: 'advisory contract rescinded before the payment was captured (A8)' };
            const paymentEvents = paymentDecider.decide(paymentCommand, payment.loaded.state);
            if (paymentEvents instanceof DomainError) throw paymentEvents;
            if (paymentEvents.length > 0) await tx.append(paymentStreamId(payment.paymentIntentId), this.store.toNew(paymentEvents, c.context), payment.loaded.revision);
          }
        },
      },
    );
    const rescinded = events[0];
    return { ...engagementView(next), refund: rescinded?.type === 'advisory.ContractRescinded' ? rescinded.data.refund : null };
  }
}

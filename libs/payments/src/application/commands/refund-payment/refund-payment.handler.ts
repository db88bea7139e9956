import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandContext, DomainError, IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { paymentDecider, paymentStreamId } from '../../../domain/payment';
import { PaymentGateway } from '../../../infrastructure/payment-gateway';

export class RefundPaymentCommand implements ICommand {
  constructor(
    readonly paymentId: string,
    readonly amountMinor: number,
    readonly reason: string,
    readonly context: CommandContext,
  ) {}
}

export interface RefundAccepted {
  readonly paymentId: string;
  readonly refundId: string;
  readonly amountMinor: number;
  readonly status: 'requested';
}

/** A partial or full refund, never above what is still refundable; the provider confirms it later. */
@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<RefundPaymentCommand, RefundAccepted> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly gateway: PaymentGateway,
    private readonly ids: IdGenerator,
  ) {}

  async execute({ paymentId, amountMinor, reason, context }: RefundPaymentCommand): Promise<RefundAccepted> {
    const refundId = this.ids.next();
    const body: RefundAccepted = { paymentId, refundId, amountMinor, status: 'requested' };
    const { state } = await this.aggregates.handle(
      paymentDecider,
      paymentStreamId(paymentId),
      { type: 'RequestRefund', paymentId, refundId, amountMinor, reason, actorId: context.actor.id, at: context.now.toISOString() },
      context,
      (decision) => decision,
    );
    if (state.status === 'none') throw new DomainError('not_found', 'PAYMENTS.NOT_FOUND', `payment ${paymentId} does not exist`);
    this.gateway.refund({ paymentId, refundId, amountMinor, currency: state.currency });
    return body;
  }
}

import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandContext } from '@app/common';
import { StreamAppend } from '@app/event-store';
import { PaymentOutcome, PaymentsService } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../domain';
import { stepOf } from './step';

/**
 * Advisory payments carry the engagement id as their reference. Their settlement is recorded on the engagement by the
 * statement that records it on the payment, so a captured fee and an active subscription are never seen one without
 * the other.
 */
@Injectable()
export class AdvisoryPaymentOutcomes implements OnModuleInit {
  constructor(
    private readonly payments: PaymentsService,
    private readonly store: AggregateStore,
  ) {}

  onModuleInit(): void {
    this.payments.onOutcome(['advisory'], (outcome, context) => this.settle(outcome, context));
  }

  private async settle(outcome: PaymentOutcome, context: CommandContext): Promise<StreamAppend[]> {
    const stream = engagementStreamId(outcome.referenceId);
    if ((await this.store.recall(engagementDecider, stream)).state.status === 'none') return [];
    // A concurrent change to the engagement fails the whole statement, the settlement too; the store retries both.
    return [
      await this.store.decideAppend(
        engagementDecider,
        stream,
        {
          type: 'SettleSubscriptionPayment',
          engagementId: outcome.referenceId,
          paymentIntentId: outcome.paymentId,
          outcome: outcome.status,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          step: stepOf(context),
        },
        context,
      ),
    ];
  }
}

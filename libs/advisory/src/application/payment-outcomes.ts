import { Injectable, OnModuleInit } from '@nestjs/common';
import { CommandContext } from '@app/common';
import { PaymentOutcome, PaymentsService } from '@app/payments';
import { FollowOn, followOn } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../domain';
import { stepOf } from './step';

/**
 * Advisory payments carry the engagement id as their reference. Their settlement is recorded on the engagement by the
 * statement that records it on the payment, so a captured fee and an active subscription are never seen one without
 * the other.
 */
@Injectable()
export class AdvisoryPaymentOutcomes implements OnModuleInit {
  constructor(private readonly payments: PaymentsService) {}

  onModuleInit(): void {
    this.payments.onOutcome(['advisory'], (outcome, context) => this.settle(outcome, context));
  }

  /** The settlement, on the engagement the payment references (none if it references no engagement). */
  settle(outcome: PaymentOutcome, context: CommandContext): FollowOn[] {
    return [
      followOn(
        engagementDecider,
        engagementStreamId(outcome.referenceId),
        {
          type: 'SettleSubscriptionPayment',
          engagementId: outcome.referenceId,
          paymentIntentId: outcome.paymentId,
          outcome: outcome.status,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          step: stepOf(context),
        },
        { existingOnly: true },
      ),
    ];
  }
}

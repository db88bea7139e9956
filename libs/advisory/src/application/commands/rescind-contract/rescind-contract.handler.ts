import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { PaymentsService } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { EngagementEvent, EngagementEventType, engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { RescindContractCommand } from './rescind-contract.command';

type Refund = { paymentId: string; refundId: string; amountMinor: number; currency: string };

/**
 * A8: the rescission and, in the same transaction, a full refund request for every captured payment under the
 * contract (payments context); the provider is asked to pay them back once that transaction has committed.
 */
@CommandHandler(RescindContractCommand)
export class RescindContractHandler implements ICommandHandler<RescindContractCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly payments: PaymentsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: RescindContractCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    const refundIds = (state.subscription?.payments ?? []).map(() => this.ids.next());
    let refunds: Refund[] = [];
    const refundOf = (events: readonly EngagementEvent[]) => {
      const rescinded = events.find((e) => e.type === EngagementEventType.ContractRescinded);
      return rescinded?.type === EngagementEventType.ContractRescinded ? rescinded.data.refund : null;
    };
    const answer = await this.store.handle(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'RescindContract', engagementId: c.engagementId, notice: c.notice, refundIds, step: stepOf(c.context) },
      c.context,
      ({ state, events }) => ({ ...engagementView(state), refund: refundOf(events) }),
      {
        alongside: async (tx, { events: rescission }) => {
          refunds = [];
          for (const r of refundOf(rescission)?.refunds ?? []) {
            refunds.push(
              await this.payments.appendRefund(
                tx,
                { paymentId: r.paymentIntentId, refundId: r.refundId, amountMinor: r.amount.amountMinor, reason: `advisory contract ${c.engagementId} rescinded within the rescission period (A8)` },
                c.context,
              ),
            );
          }
        },
      },
    );
    for (const refund of refunds) this.payments.startRefund(refund);
    return answer;
  }
}

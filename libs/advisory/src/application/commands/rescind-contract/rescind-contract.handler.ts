import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IdGenerator } from '@app/common';
import { PaymentsService, refundRequest } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { EngagementCommand, EngagementEvent, EngagementEventType, engagementDecider, engagementStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { RescindContractCommand } from './rescind-contract.command';

/** The full refund a rescission decided, if anything was captured under the contract. */
const refundOf = (events: readonly EngagementEvent[]) => {
  const rescinded = events.find((e) => e.type === EngagementEventType.ContractRescinded);
  return rescinded?.type === EngagementEventType.ContractRescinded ? rescinded.data.refund : null;
};

/**
 * A8: the rescission and, by the same statement, a full refund request for every captured payment under the contract
 * (payments context); the provider is asked to pay them back once they are stored.
 */
@CommandHandler(RescindContractCommand)
export class RescindContractHandler implements ICommandHandler<RescindContractCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly payments: PaymentsService,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: RescindContractCommand) {
    const stream = engagementStreamId(c.engagementId);
    const reason = `advisory contract ${c.engagementId} rescinded within the rescission period (A8)`;
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        const state = owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        const refundIds = (state.subscription?.payments ?? []).map(() => this.ids.next());
        return { type: 'RescindContract', engagementId: c.engagementId, notice: c.notice, refundIds, step: stepOf(c.context) };
      },
      c.context,
      ({ state, events }) => ({ ...engagementView(state), refund: refundOf(events) }),
      {
        followOns: ({ events }) =>
          (refundOf(events)?.refunds ?? []).map((r) =>
            refundRequest({ paymentId: r.paymentIntentId, refundId: r.refundId, amountMinor: r.amount.amountMinor, reason }, c.context),
          ),
        afterCommit: ({ events }) => {
          for (const r of refundOf(events)?.refunds ?? []) {
            this.payments.startRefund({
              paymentId: r.paymentIntentId,
              refundId: r.refundId,
              amountMinor: r.amount.amountMinor,
              currency: r.amount.currency,
            });
          }
        },
      },
    );
  }
}

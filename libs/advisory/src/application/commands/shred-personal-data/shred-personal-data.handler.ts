import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '@app/platform';
import { investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ShredPersonalDataCommand } from './shred-personal-data.command';

@CommandHandler(ShredPersonalDataCommand)
export class ShredPersonalDataHandler implements ICommandHandler<ShredPersonalDataCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ShredPersonalDataCommand) {
    // The key is destroyed in the same transaction that records the shredding: both happen or neither does.
    await this.store.execute(investorDecider, investorStreamId(c.investorId), { type: 'ShredPersonalData', reason: c.reason, step: stepOf(c.context) }, c.context, {
      alongside: async (tx) => {
        await tx.query('DELETE FROM advisory_pii_keys WHERE subject_id = $1', [c.investorId]);
      },
    });
    return { investorId: c.investorId, shredded: true };
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { conflict } from '@app/common';
import { UserCommand, userDecider, userStream } from '@app/identity';
import { AggregateStore } from '@app/platform';
import { investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { ShredPersonalDataCommand } from './shred-personal-data.command';

/**
 * Crypto-shredding of a person (E3): their one vault key holds both their registration's personal data (identity) and
 * their advisory account's real-name data, so both are recorded as shredded, on the user's stream and, when they have
 * an advisory account, on the investor's, by one transaction that also destroys the key and the sign-in email.
 */
@CommandHandler(ShredPersonalDataCommand)
export class ShredPersonalDataHandler implements ICommandHandler<ShredPersonalDataCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: ShredPersonalDataCommand) {
    const { investorId, reason, context } = c;
    let advisoryPending = false;
    const { events } = await this.store.execute(
      userDecider,
      userStream(investorId),
      async (reads): Promise<UserCommand> => {
        const { state: investor } = await reads.load(investorDecider, investorStreamId(investorId));
        advisoryPending = investor.status === 'open' && !investor.piiShredded;
        return { type: 'ShredPersonalData', userId: investorId, reason, by: context.actor, now: context.now.toISOString() };
      },
      context,
      {
        alsoAppend: async () =>
          advisoryPending ? [await this.store.decideAppend(investorDecider, investorStreamId(investorId), { type: 'ShredPersonalData', reason, step: stepOf(context) }, context)] : [],
        // The key and the sign-in email go in the same transaction that records the shredding: both happen or neither does.
        alongside: async (tx) => {
          await tx.query('DELETE FROM advisory_pii_keys WHERE subject_id = $1', [investorId]);
          await tx.query('DELETE FROM credentials WHERE user_id = $1', [investorId]);
        },
      },
    );
    if (events.length === 0 && !advisoryPending) throw conflict('ACCOUNT.ALREADY_SHREDDED', 'the personal data key is already destroyed', 'E3');
    return { investorId, shredded: true };
  }
}

import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError } from '@app/common';
import { UserCommand, credentialRemoved, userDecider, userStream } from '@app/identity';
import { AggregateStore, PiiVault, followOn } from '@app/platform';
import { holdsPersonalData, investorDecider, investorStreamId, shreddingRefusal } from '../../../domain';
import { stepOf } from '../../step';
import { ShredPersonalDataCommand } from './shred-personal-data.command';

/**
 * Crypto-shredding of a person (E3): their one vault key holds both their registration's personal data (identity) and
 * their advisory account's real-name data, so both are recorded as shredded, on the user's stream and, when their
 * advisory account still holds any, on the investor's, by one transaction that also destroys the key and the sign-in
 * email.
 */
@CommandHandler(ShredPersonalDataCommand)
export class ShredPersonalDataHandler implements ICommandHandler<ShredPersonalDataCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly vault: PiiVault,
  ) {}

  async execute({ investorId, reason, context }: ShredPersonalDataCommand) {
    const userStreamId = userStream(investorId);
    const investorStream = investorStreamId(investorId);
    return this.aggregates.handle(
      userDecider,
      userStreamId,
      async (reads): Promise<UserCommand> => {
        const command: UserCommand = {
          type: 'ShredPersonalData',
          userId: investorId,
          reason,
          by: context.actor,
          now: context.now.toISOString(),
        };
        const [{ state: user }, { state: investor }] = await Promise.all([
          reads.load(userDecider, userStreamId),
          reads.load(investorDecider, investorStream),
        ]);
        const refused = shreddingRefusal(userDecider.decide(command, user), investor);
        if (refused instanceof DomainError) throw refused;
        return command;
      },
      context,
      () => ({ investorId, shredded: true }),
      {
        followOns: () => [
          followOn(
            investorDecider,
            investorStream,
            { type: 'ShredPersonalData', reason, step: stepOf(context) },
            { onlyIf: holdsPersonalData },
          ),
        ],
        // The key and the sign-in email go in the same transaction that records the shredding: both happen or neither does.
        sideWrites: () => [this.vault.shredAlong(investorId), credentialRemoved(investorId)],
      },
    );
  }
}

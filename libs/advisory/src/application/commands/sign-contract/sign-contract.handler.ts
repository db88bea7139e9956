import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, followOn } from '@app/platform';
import {
  EngagementCommand,
  contractSerialDecider,
  contractSerialStreamId,
  contractYear,
  engagementDecider,
  engagementStreamId,
  nextContractSerial,
} from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, owned } from '../engagement-access';
import { SignContractCommand } from './sign-contract.command';

/** Signings racing for a year's next serial are decided again, one at a time, until each has its own number. */
const SIGNING_ATTEMPTS = 50;

/**
 * A6: the contract is signed under the next serial of the year's register; the register's assignment follows from the
 * signature, decided on the register as the signature read it, and is appended by the same statement (gap-free, see
 * contract-serials).
 */
@CommandHandler(SignContractCommand)
export class SignContractHandler implements ICommandHandler<SignContractCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: SignContractCommand) {
    const stream = engagementStreamId(c.engagementId);
    const step = stepOf(c.context);
    const year = contractYear(step.at);
    const registerStream = contractSerialStreamId(year);
    return this.aggregates.handle(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        const state = owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        const [product, register] = await Promise.all([
          this.readers.product(state.productId, state.planId, reads),
          reads.load(contractSerialDecider, registerStream),
        ]);
        return {
          type: 'SignContract',
          engagementId: c.engagementId,
          serial: nextContractSerial(register.state, year),
          shownHash: c.shownHash,
          product,
          calendar: this.settings.calendar,
          step,
        };
      },
      c.context,
      ({ state }) => engagementView(state),
      {
        followOns: ({ events }) =>
          events.length === 0
            ? []
            : [followOn(contractSerialDecider, registerStream, { type: 'AssignContractSerial', year, engagementId: c.engagementId, step })],
        maxAttempts: SIGNING_ATTEMPTS,
      },
    );
  }
}

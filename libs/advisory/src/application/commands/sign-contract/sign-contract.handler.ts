import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, Loaded } from '@app/platform';
import {
  ContractSerialRegister,
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
 * A6: the contract is signed under the next serial of the year's register; the register's event is appended by the
 * same statement as the signature, expecting the revision the serial was derived from (gap-free, see contract-serials).
 */
@CommandHandler(SignContractCommand)
export class SignContractHandler implements ICommandHandler<SignContractCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: SignContractCommand) {
    const stream = engagementStreamId(c.engagementId);
    const step = stepOf(c.context);
    const year = contractYear(step.at);
    const registerStream = contractSerialStreamId(year);
    let register: Loaded<ContractSerialRegister> | undefined;
    const { state: next } = await this.store.execute(
      engagementDecider,
      stream,
      async (reads): Promise<EngagementCommand> => {
        const state = owned((await reads.load(engagementDecider, stream)).state, c.engagementId, c.context);
        const [product, loaded] = await Promise.all([this.readers.product(state.productId, state.planId, reads), reads.load(contractSerialDecider, registerStream)]);
        register = loaded;
        return { type: 'SignContract', engagementId: c.engagementId, serial: nextContractSerial(loaded.state, year), shownHash: c.shownHash, product, calendar: this.settings.calendar, step };
      },
      c.context,
      {
        alsoAppend: async ({ events }) => {
          if (events.length === 0 || !register) return [];
          const assigned = contractSerialDecider.decide({ type: 'AssignContractSerial', year, engagementId: c.engagementId, step }, register.state);
          if (!Array.isArray(assigned)) throw assigned;
          return [this.store.appendFor(contractSerialDecider, registerStream, register, assigned, c.context)];
        },
        maxAttempts: SIGNING_ATTEMPTS,
      },
    );
    return engagementView(next);
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { conflict } from '@app/common';
import { AggregateStore } from '@app/platform';
import { engagementDecider, engagementStreamId } from '../../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../../advisory-settings';
import { AdvisoryReaders } from '../../readers';
import { stepOf } from '../../step';
import { engagementView, ownEngagement } from '../engagement-access';
import { SignContractCommand } from './sign-contract.command';

@CommandHandler(SignContractCommand)
export class SignContractHandler implements ICommandHandler<SignContractCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute(c: SignContractCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    const product = await this.readers.product(state.productId, state.planId);
    const { state: next } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'SignContract', engagementId: c.engagementId, serial: c.serial, product, calendar: this.settings.calendar, step: stepOf(c.context) },
      c.context,
      {
        // Serials are unique across all contracts: the reservation commits with the signature or not at all.
        alongside: async (tx, { events }) => {
          if (events.length === 0) return;
          const reserved = await tx.query('INSERT INTO advisory_contract_serials (serial, engagement_id) VALUES ($1, $2) ON CONFLICT (serial) DO NOTHING RETURNING serial', [
            c.serial,
            c.engagementId,
          ]);
          if (reserved.rows.length === 0) throw conflict('CONTRACT.SERIAL_TAKEN', `contract serial ${c.serial} is already used`, 'A6');
        },
      },
    );
    return engagementView(next);
  }
}

import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, IdGenerator } from '@app/common';
import { AggregateStore, JsonLogger, PiiVault } from '@app/platform';
import { OpenAccount, investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { OpenAccountCommand } from './open-account.command';

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly vault: PiiVault,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    private readonly logger: JsonLogger,
  ) {}

  async execute({ input, context }: OpenAccountCommand) {
    const investorId = context.actor.id;
    const streamId = investorStreamId(investorId);
    const command = (piiRef: string): OpenAccount => ({
      type: 'OpenAccount',
      investorId,
      piiRef,
      legalName: input.legalName,
      nationalId: input.nationalId,
      mobile: input.mobile,
      profile: input.profile,
      sensitiveDataConsent: { given: input.sensitiveDataConsent, consentTextHash: input.consentTextHash },
      step: stepOf(context),
    });
    // Validate before anything reaches the vault, so refused data is never stored.
    const { state } = await this.store.load(investorDecider, streamId);
    const precheck = investorDecider.decide(command('pending'), state);
    if (precheck instanceof DomainError) throw precheck;
    const piiRef = await this.vault.put(investorId, this.ids.next(), {
      legalName: input.legalName.trim(),
      nationalId: input.nationalId.trim().toUpperCase(),
      mobile: input.mobile,
    });
    const { events } = await this.store.execute(investorDecider, streamId, command(piiRef), context);
    const opened = events[0];
    if (opened.type !== 'advisory.AccountOpened') throw new Error('account opening produced no AccountOpened event');
    const masked = { nationalIdMasked: opened.data.nationalIdMasked, mobileMasked: opened.data.mobileMasked, legalNameMasked: opened.data.legalNameMasked };
    // Logs, like events and responses, only ever see the masked forms (E3).
    this.logger.event('info', 'advisory', { msg: 'advisory account opened', investorId, ...masked, piiRef });
    return { investorId, ...masked };
  }
}

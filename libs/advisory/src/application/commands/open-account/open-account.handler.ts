import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DomainError, IdGenerator } from '@app/common';
import { AggregateStore, JsonLogger, PiiVault } from '@app/platform';
import { InvestorEventType, OpenAccount, investorDecider, investorStreamId } from '../../../domain';
import { stepOf } from '../../step';
import { OpenAccountCommand } from './open-account.command';

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
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
    const { state } = await this.aggregates.load(investorDecider, streamId);
    const precheck = investorDecider.decide(command('pending'), state);
    if (precheck instanceof DomainError) throw precheck;
    const piiRef = await this.vault.put(investorId, this.ids.next(), {
      legalName: input.legalName.trim(),
      nationalId: input.nationalId.trim().toUpperCase(),
      mobile: input.mobile,
    });
    const masked = await this.aggregates.handle(investorDecider, streamId, command(piiRef), context, ({ events }) => {
      const opened = events.find((event) => event.type === InvestorEventType.AccountOpened);
      if (opened?.type !== InvestorEventType.AccountOpened) throw new Error('account opening produced no AccountOpened event');
      return {
        nationalIdMasked: opened.data.nationalIdMasked,
        mobileMasked: opened.data.mobileMasked,
        legalNameMasked: opened.data.legalNameMasked,
      };
    });
    // Logs, like events and responses, only ever see the masked forms (E3).
    this.logger.event('info', 'advisory', { msg: 'advisory account opened', investorId, ...masked, piiRef });
    return { investorId, ...masked };
  }
}

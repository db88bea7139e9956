/**
 * A message from the product team to one investor: the template passes G3 (V3, V2, a published product), quiet hours
 * refuse it (G2: a direct send is the operator's act, so the operator is told when to send it again), the investor's
 * matching opinion must allow a named advisory product (G3), the contact is attributed (G4), and the send decides
 * consent (G1, from the investor's consent stream) and the caps (G2) in one append.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { CommandContext, IdGenerator, ruleViolation } from '@app/common';
import { NO_CONSENT, quietUntil, ReachChannel, refusalError } from '../domain';
import { SendMessageCommand, SentAnswer } from './commands/message.handlers';
import { REACH_SETTINGS, ReachSettings } from './reach-settings';
import { ReachCompliance, TemplateInput } from './reach-compliance';

@Injectable()
export class DirectMessages {
  constructor(
    private readonly commands: CommandBus,
    private readonly compliance: ReachCompliance,
    private readonly db: DataSource,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(REACH_SETTINGS) private readonly settings: ReachSettings,
  ) {}

  async send(investorId: string, channel: ReachChannel, input: TemplateInput, context: CommandContext): Promise<SentAnswer> {
    const template = await this.compliance.template(input);
    const deferredUntil = quietUntil(this.settings.policy, context.now.toISOString());
    if (deferredUntil)
      throw ruleViolation('REACH.QUIET_HOURS', 'G2', `quiet hours in Asia/Shanghai: send after ${deferredUntil}`, { deferredUntil });
    // Asked of the read model first so that no contact is attributed for a message consent would refuse; the send
    // itself decides consent from the investor's stream.
    const [consented] = await this.db.query(`SELECT 1 FROM reach_consents WHERE investor_id = $1 AND channel = $2 AND granted`, [
      investorId,
      channel,
    ]);
    if (!consented) throw refusalError(NO_CONSENT);
    const refusal = await this.compliance.refusalFor(investorId, template, context.now);
    if (refusal) throw refusalError(refusal);
    const messageId = this.ids.next();
    await this.compliance.attribute(investorId, template, 'push', messageId, context);
    return this.commands.execute(
      new SendMessageCommand(
        { messageId, investorId, channel, campaignId: null, productId: template.productId, title: template.title, body: template.body },
        this.settings.policy.caps[channel],
        context,
      ),
    );
  }
}

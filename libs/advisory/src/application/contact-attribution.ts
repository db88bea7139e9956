/**
 * Advisory's public way to record that someone contacted an investor about an advisory product (A5, G4): an advisor's
 * call, a recommendation, a push or a campaign message. Advisors and staff record contacts over HTTP; other contexts
 * (growth campaigns) call `record` through the advisory module's exports. The contact lands on the investor's stream,
 * which every matching and purchase decision reads, so a purchase decided after it cannot miss it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, IdGenerator } from '@app/common';
import { AggregateStore } from '@app/platform';
import { ContactSource, investorDecider, investorStreamId } from '../domain';
import { AdvisoryReaders } from './readers';
import { stepOf } from './step';

export interface ContactInput {
  readonly investorId: string;
  readonly productId: string;
  readonly source: ContactSource;
  readonly reference?: string;
}

@Injectable()
export class ContactAttribution {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async record(input: ContactInput, context: CommandContext) {
    await this.readers.product(input.productId);
    const contactId = this.ids.next();
    const step = stepOf(context);
    const contact = {
      investorId: input.investorId,
      contactId,
      productId: input.productId,
      source: input.source,
      reference: input.reference ?? null,
      step,
    };
    return this.store.handle(investorDecider, investorStreamId(input.investorId), { type: 'RecordContact', ...contact }, context, () => ({
      contactId,
      investorId: input.investorId,
      productId: input.productId,
      source: input.source,
      reference: input.reference ?? null,
      step,
    }));
  }
}

/**
 * G3 and G4 against the other contexts: what product a template names (catalog), whether an investor's current matching
 * opinion allows it (advisory's `messageOpinion`), and the attribution of every contact about an advisory product
 * (advisory's `ContactAttribution`). The attribution is recorded before the message is sent: a crash in between leaves
 * a contact without a message, which only ever makes a later purchase less permissive (A5), never more.
 */
import { Injectable } from '@nestjs/common';
import { CommandContext, DomainError } from '@app/common';
import { AdvisoryQueries, ContactAttribution } from '@app/advisory';
import { CatalogQueries } from '@app/catalog';
import { checkTemplate, Incentive, MessageTemplate, ProductFamily, refuseAdvisoryMessage, Refusal } from '../domain';

export interface TemplateInput {
  readonly title: string;
  readonly body: string;
  readonly productId?: string | null;
  readonly incentive?: Incentive | null;
}

@Injectable()
export class ReachCompliance {
  constructor(
    private readonly catalog: CatalogQueries,
    private readonly advisory: AdvisoryQueries,
    private readonly contacts: ContactAttribution,
  ) {}

  /** The template with the family of the product it names; refused when it breaks V3, V2 or names no published product (G3). */
  async template(input: TemplateInput): Promise<MessageTemplate> {
    const productId = input.productId ?? null;
    let productFamily: ProductFamily | null = null;
    if (productId !== null) {
      const listing = await this.catalog.get(productId).catch((error: unknown) => {
        if (error instanceof DomainError && error.kind === 'not_found') return null;
        throw error;
      });
      productFamily =
        listing && listing.status === 'published' && (listing.family === 'advisory' || listing.family === 'value_added')
          ? listing.family
          : null;
    }
    const template: MessageTemplate = {
      title: input.title,
      body: input.body,
      productId,
      productFamily,
      incentive: input.incentive ?? null,
    };
    const refused = checkTemplate(template);
    if (refused) throw refused;
    return template;
  }

  /** G3: why this investor may not receive a message naming the template's advisory product now (null: they may). */
  async refusalFor(investorId: string, template: MessageTemplate, now: Date): Promise<Refusal | null> {
    if (template.productFamily !== 'advisory' || template.productId === null) return null;
    return refuseAdvisoryMessage(await this.advisory.messageOpinion(investorId, template.productId, now));
  }

  /** G4: the contact, on the investor's advisory stream, so that a purchase within the window is not investor-initiated (A5). */
  async attribute(
    investorId: string,
    template: MessageTemplate,
    source: 'campaign' | 'push',
    reference: string,
    context: CommandContext,
  ): Promise<void> {
    if (template.productFamily !== 'advisory' || template.productId === null) return;
    await this.contacts.record({ investorId, productId: template.productId, source, reference }, context);
  }
}

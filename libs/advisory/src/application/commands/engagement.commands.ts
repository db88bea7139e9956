/**
 * Use cases of an advisory engagement (A4–A8): matching opinion, disclosure and warning by hash, insistence, contract,
 * purchase through the payments context, renewal, rescission with refund, return visit.
 */
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { CommandContext, DomainError, IdGenerator, conflict, notFound } from '@app/common';
import { COMPANY_ACCOUNT, PaymentCommand, paymentDecider, paymentStreamId } from '@app/payments';
import { AggregateStore } from '@app/platform';
import {
  DocumentRef,
  Engagement,
  EngagementCommand,
  EngagementState,
  Initiator,
  ReturnVisitChecklist,
  engagementDecider,
  engagementStreamId,
} from '../../domain';
import { ADVISORY_SETTINGS, AdvisorySettings } from '../advisory-settings';
import { AdvisoryReaders } from '../readers';
import { stepOf } from '../step';

const loadEngagement = async (store: AggregateStore, engagementId: string): Promise<Engagement> => {
  const { state } = await store.load(engagementDecider, engagementStreamId(engagementId));
  if (state.status === 'none') throw notFound('ENGAGEMENT.NOT_FOUND', `no engagement ${engagementId}`);
  return state;
};

/** Investors see only their own engagements; anything else is answered as if it did not exist. */
const ownEngagement = async (store: AggregateStore, engagementId: string, context: CommandContext): Promise<Engagement> => {
  const state = await loadEngagement(store, engagementId);
  if (state.investorId !== context.actor.id) throw notFound('ENGAGEMENT.NOT_FOUND', `no engagement ${engagementId}`);
  return state;
};

const view = (state: EngagementState) =>
  state.status === 'none'
    ? null
    : {
        engagementId: state.engagementId,
        productId: state.productId,
        planId: state.planId,
        status: state.status,
        opinion: state.matching.opinion,
        requiredDocuments: state.matching.requiredDocuments,
        rating: state.rating,
        disclosureConfirmed: state.disclosure !== null,
        contract: state.contract,
        subscription: state.subscription,
        renewalBlocked: state.renewalBlocked !== null,
        returnVisit: state.returnVisit,
      };

export class MatchSuitabilityCommand {
  constructor(
    readonly productId: string,
    readonly planId: string | undefined,
    readonly initiatedBy: Initiator,
    readonly recommendationId: string | undefined,
    readonly engagementId: string | undefined,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(MatchSuitabilityCommand)
export class MatchSuitabilityHandler implements ICommandHandler<MatchSuitabilityCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: MatchSuitabilityCommand) {
    if (c.engagementId) await ownEngagement(this.store, c.engagementId, c.context);
    const engagementId = c.engagementId ?? this.ids.next();
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(c.context.actor.id, c.context.now), this.readers.product(c.productId, c.planId)]);
    const { state } = await this.store.execute(
      engagementDecider,
      engagementStreamId(engagementId),
      {
        type: 'MatchSuitability',
        engagementId,
        investor: snapshot,
        product,
        initiatedBy: c.initiatedBy,
        recommendationId: c.recommendationId,
        step: stepOf(c.context),
      },
      c.context,
    );
    return view(state);
  }
}

/** The investor-side steps that only need the engagement itself. */
export class EngagementStepCommand {
  constructor(
    readonly engagementId: string,
    readonly step:
      | { readonly kind: 'confirm_disclosure'; readonly contentHash: string }
      | { readonly kind: 'sign_warning'; readonly contentHash: string }
      | { readonly kind: 'insist'; readonly statement: string }
      | { readonly kind: 'sign_contract'; readonly serial: string }
      | { readonly kind: 'rescind'; readonly notice: string },
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(EngagementStepCommand)
export class EngagementStepHandler implements ICommandHandler<EngagementStepCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(ADVISORY_SETTINGS) private readonly settings: AdvisorySettings,
  ) {}

  async execute({ engagementId, step, context }: EngagementStepCommand) {
    const state = await ownEngagement(this.store, engagementId, context);
    const base = { engagementId, step: stepOf(context) };
    const shown = (required: DocumentRef | null, contentHash: string, fallback: DocumentRef): DocumentRef =>
      required && required.contentHash === contentHash ? required : { ...fallback, contentHash };
    const streamId = engagementStreamId(engagementId);
    switch (step.kind) {
      case 'confirm_disclosure': {
        const required = state.matching.requiredDocuments.riskDisclosure;
        const document = shown(required, step.contentHash, required);
        return view((await this.store.execute(engagementDecider, streamId, { type: 'ConfirmRiskDisclosure', document, ...base }, context)).state);
      }
      case 'sign_warning': {
        const required = state.matching.requiredDocuments.specialRiskWarning;
        const document = shown(required, step.contentHash, required ?? { documentId: 'special-risk-warning', kind: 'special_risk_warning', version: 'unknown', contentHash: step.contentHash });
        return view((await this.store.execute(engagementDecider, streamId, { type: 'SignSpecialRiskWarning', document, ...base }, context)).state);
      }
      case 'insist':
        return view((await this.store.execute(engagementDecider, streamId, { type: 'RecordInsistence', statement: step.statement, ...base }, context)).state);
      case 'sign_contract': {
        const product = await this.readers.product(state.productId, state.planId);
        const command: EngagementCommand = { type: 'SignContract', serial: step.serial, product, calendar: this.settings.calendar, ...base };
        // Serials are unique across all contracts: the reservation commits with the signature or not at all.
        const { state: next } = await this.store.execute(engagementDecider, streamId, command, context, {
          alongside: async (tx, { events }) => {
            if (events.length === 0) return;
            const reserved = await tx.query('INSERT INTO advisory_contract_serials (serial, engagement_id) VALUES ($1, $2) ON CONFLICT (serial) DO NOTHING RETURNING serial', [step.serial, engagementId]);
            if (reserved.rows.length === 0) throw conflict('CONTRACT.SERIAL_TAKEN', `contract serial ${step.serial} is already used`, 'A6');
          },
        });
        return view(next);
      }
      case 'rescind':
        return this.rescind(state, step.notice, context);
    }
  }

  /** A8: the rescission and, in the same transaction, the refund of every captured payment (or the cancellation of one not yet captured). */
  private async rescind(state: Engagement, notice: string, context: CommandContext) {
    const payments = await Promise.all(
      (state.subscription?.payments ?? []).map(async (p) => ({ ...p, loaded: await this.store.load(paymentDecider, paymentStreamId(p.paymentIntentId)) })),
    );
    const refundId = this.ids.next();
    const { state: next, events } = await this.store.execute(
      engagementDecider,
      engagementStreamId(state.engagementId),
      { type: 'RescindContract', engagementId: state.engagementId, notice, refundId, step: stepOf(context) },
      context,
      {
        alongside: async (tx, { events: decided }) => {
          if (decided.length === 0) return;
          for (const [index, payment] of payments.entries()) {
            const at = context.now.toISOString();
            const paymentCommand: PaymentCommand =
              payment.loaded.state.status === 'captured'
                ? { type: 'RequestRefund', paymentId: payment.paymentIntentId, at, refundId: index === 0 ? refundId : `${refundId}-${index}`, amountMinor: payment.price.amountMinor, reason: 'advisory contract rescinded within the rescission period (A8)', actorId: context.actor.id }
                : { type: 'FailPayment', paymentId: payment.paymentIntentId, at, reason: 'advisory contract rescinded before the payment was captured (A8)' };
            const paymentEvents = paymentDecider.decide(paymentCommand, payment.loaded.state);
            if (paymentEvents instanceof DomainError) throw paymentEvents;
            if (paymentEvents.length > 0) await tx.append(paymentStreamId(payment.paymentIntentId), this.store.toNew(paymentEvents, context), payment.loaded.revision);
          }
        },
      },
    );
    const rescinded = events[0];
    return { ...view(next), refund: rescinded?.type === 'advisory.ContractRescinded' ? rescinded.data.refund : null };
  }
}

export class PurchaseCommand {
  constructor(
    readonly engagementId: string,
    readonly renewal: boolean,
    readonly incentives: readonly string[],
    readonly context: CommandContext,
  ) {}
}

/** The same Idempotency-Key from the same investor always names the same payment intent. */
const intentFor = (investorId: string, key: string): string => {
  const h = createHash('sha256').update(`advisory-payment:${investorId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

@CommandHandler(PurchaseCommand)
export class PurchaseHandler implements ICommandHandler<PurchaseCommand> {
  constructor(
    private readonly store: AggregateStore,
    private readonly readers: AdvisoryReaders,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  async execute(c: PurchaseCommand) {
    const state = await ownEngagement(this.store, c.engagementId, c.context);
    const paymentIntentId = c.context.idempotencyKey ? intentFor(c.context.actor.id, c.context.idempotencyKey) : this.ids.next();
    if (state.subscription?.payments.some((p) => p.paymentIntentId === paymentIntentId)) return { ...view(state), paymentIntentId, replayed: true };
    const [{ snapshot }, product] = await Promise.all([this.readers.investor(c.context.actor.id, c.context.now), this.readers.product(state.productId, state.planId)]);
    const price = { amountMinor: product.feeBasis.amountMinor, currency: product.feeBasis.currency };
    const common = { engagementId: c.engagementId, paymentIntentId, price, incentives: c.incentives, investor: snapshot, product, step: stepOf(c.context) };
    const command: EngagementCommand = c.renewal ? { type: 'RenewSubscription', ...common } : { type: 'PurchaseSubscription', subscriptionId: this.ids.next(), ...common };
    const execution = this.store.execute(engagementDecider, engagementStreamId(c.engagementId), command, c.context, {
      alongside: async (tx, { events }) => {
        if (events.length === 0) return;
        // The fee goes to the company account only (A7); the payments context owns the payment from here.
        const requested = paymentDecider.decide(
          {
            type: 'RequestPayment',
            paymentId: paymentIntentId,
            at: c.context.now.toISOString(),
            payerId: c.context.actor.id,
            amountMinor: price.amountMinor,
            currency: price.currency,
            purpose: 'advisory',
            referenceId: c.engagementId,
            payee: COMPANY_ACCOUNT,
          },
          paymentDecider.initialState,
        );
        if (requested instanceof DomainError) throw requested;
        await tx.append(paymentStreamId(paymentIntentId), this.store.toNew(requested, c.context), 'no_stream');
      },
    });
    try {
      return { ...view((await execution).state), paymentIntentId, replayed: false };
    } catch (error) {
      // Two requests with the same Idempotency-Key raced: the loser answers with the winner's result.
      const after = await loadEngagement(this.store, c.engagementId);
      if (after.subscription?.payments.some((p) => p.paymentIntentId === paymentIntentId)) return { ...view(after), paymentIntentId, replayed: true };
      throw error;
    }
  }
}

export class CompleteReturnVisitCommand {
  constructor(
    readonly engagementId: string,
    readonly checklist: Partial<ReturnVisitChecklist>,
    readonly notes: string,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(CompleteReturnVisitCommand)
export class CompleteReturnVisitHandler implements ICommandHandler<CompleteReturnVisitCommand> {
  constructor(private readonly store: AggregateStore) {}

  async execute(c: CompleteReturnVisitCommand) {
    await loadEngagement(this.store, c.engagementId);
    const { state } = await this.store.execute(
      engagementDecider,
      engagementStreamId(c.engagementId),
      { type: 'CompleteReturnVisit', engagementId: c.engagementId, staffRoles: c.context.actor.roles, checklist: c.checklist, notes: c.notes, step: stepOf(c.context) },
      c.context,
    );
    return view(state);
  }
}

export const engagementView = view;
export { loadEngagement, ownEngagement };

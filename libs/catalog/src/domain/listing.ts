/**
 * The listing aggregate: what product teams offer and compliance reviews. Lifecycle (L1), maker-checker (L2), the
 * advisory terms an advisory listing must carry (L3), family fixed at review (V1), content guard on every piece of copy
 * (V3) and the risk-rating change flow (L4).
 */
import { Advisor, CURRENCIES, Decider, DomainError, DomainEvent, forbidden, Horizon, invalid, isRiskLevel, isSacRegistrationCode, ruleViolation, checkContent } from '@app/common';
import {
  BILLING_PERIODS,
  BillingPeriod,
  familyOf,
  isListingKind,
  ListingKind,
  ProductFamily,
  RiskLevel,
  riskRank,
} from './listing-kinds';

export interface Plan {
  readonly planId: string;
  readonly name: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly billingPeriod: BillingPeriod;
  readonly trialDays?: number;
}

export type { Advisor } from '@app/common';

/** The factors behind a risk level (SM 16–17), each scored 1 (low) to 5 (high). */
export const RISK_FACTORS = ['liquidity', 'principalLoss', 'complexity', 'leverage'] as const;
export type RiskFactorSheet = Readonly<Record<(typeof RISK_FACTORS)[number], number>> & Readonly<Record<string, number>>;

/** L3: what an advisory listing must carry. Partial while drafting; complete at submission. */
export interface AdvisoryTerms {
  readonly riskLevel?: RiskLevel;
  readonly riskFactors?: Partial<Record<string, number>>;
  readonly horizon?: Horizon;
  readonly varieties?: readonly string[];
  readonly advisors?: readonly Advisor[];
  readonly feeBasis?: string;
  readonly riskDisclosureVersion?: string;
  readonly contractVersion?: string;
}

export interface ListingContent {
  readonly kind: ListingKind;
  readonly title: string;
  readonly description: string;
  readonly plans: readonly Plan[];
  readonly advisory?: AdvisoryTerms;
}

export type ListingStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'published' | 'retired';

export const ROLE_PRODUCT_MANAGER = 'product_manager';
export const ROLE_COMPLIANCE_OFFICER = 'compliance_officer';

interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
}

interface Base {
  readonly listingId: string;
  readonly actor: Actor;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

export type ListingCommand =
  | (Base & { readonly type: 'DraftListing'; readonly content: ListingContent })
  | (Base & { readonly type: 'ReviseListing'; readonly content: ListingContent })
  | (Base & { readonly type: 'SubmitListing' })
  | (Base & { readonly type: 'ApproveListing'; readonly confirmedFamily: ProductFamily; readonly note?: string })
  | (Base & { readonly type: 'RejectListing'; readonly reason: string })
  | (Base & { readonly type: 'PublishListing' })
  | (Base & { readonly type: 'RetireListing'; readonly reason: string })
  | (Base & {
      readonly type: 'SubmitRiskRatingChange';
      readonly changeId: string;
      readonly riskLevel: RiskLevel;
      readonly riskFactors: Record<string, number>;
      readonly reason: string;
    })
  | (Base & { readonly type: 'ApproveRiskRatingChange'; readonly changeId: string })
  | (Base & { readonly type: 'RejectRiskRatingChange'; readonly changeId: string; readonly reason: string });

export const ListingEventTypes = {
  Drafted: 'catalog.ListingDrafted',
  Revised: 'catalog.ListingRevised',
  Submitted: 'catalog.ListingSubmitted',
  Approved: 'catalog.ListingApproved',
  Rejected: 'catalog.ListingRejected',
  Published: 'catalog.ListingPublished',
  Retired: 'catalog.ListingRetired',
  RiskRatingChangeSubmitted: 'catalog.RiskRatingChangeSubmitted',
  RiskRatingChangeApproved: 'catalog.RiskRatingChangeApproved',
  RiskRatingChangeRejected: 'catalog.RiskRatingChangeRejected',
} as const;

type T = typeof ListingEventTypes;
export type ListingEvent =
  | DomainEvent<T['Drafted'], { listingId: string; family: ProductFamily; content: ListingContent; by: string; at: string }>
  | DomainEvent<
      T['Revised'],
      { listingId: string; family: ProductFamily; content: ListingContent; by: string; at: string; previousStatus: ListingStatus }
    >
  | DomainEvent<T['Submitted'], { listingId: string; family: ProductFamily; by: string; at: string }>
  | DomainEvent<T['Approved'], { listingId: string; family: ProductFamily; by: string; at: string; note?: string }>
  | DomainEvent<T['Rejected'], { listingId: string; by: string; at: string; reason: string }>
  | DomainEvent<T['Published'], { listingId: string; family: ProductFamily; by: string; at: string }>
  | DomainEvent<T['Retired'], { listingId: string; by: string; at: string; reason: string }>
  | DomainEvent<
      T['RiskRatingChangeSubmitted'],
      {
        listingId: string;
        changeId: string;
        from: RiskLevel;
        to: RiskLevel;
        riskFactors: Record<string, number>;
        reason: string;
        by: string;
        at: string;
      }
    >
  | DomainEvent<
      T['RiskRatingChangeApproved'],
      { listingId: string; changeId: string; from: RiskLevel; to: RiskLevel; upward: boolean; by: string; at: string }
    >
  | DomainEvent<T['RiskRatingChangeRejected'], { listingId: string; changeId: string; by: string; at: string; reason: string }>;

interface PendingRatingChange {
  readonly changeId: string;
  readonly to: RiskLevel;
  readonly riskFactors: Record<string, number>;
  readonly submittedBy: string;
}

export type ListingState =
  | { readonly status: 'none' }
  | {
      readonly status: ListingStatus;
      readonly listingId: string;
      readonly family: ProductFamily;
      readonly content: ListingContent;
      readonly submittedBy?: string;
      /** The family fixed by the last approval (V1). */
      readonly reviewedFamily?: ProductFamily;
      readonly pendingRatingChange?: PendingRatingChange;
      /** Approved risk-rating changes so far: the rating in force is version 1 + this (L4). */
      readonly approvedRatingChanges?: number;
    };

// Value-added copy that gives stock-specific picks, price targets or buy/sell timing is advisory by function (V1).
const ADVISORY_FUNCTION = /荐股|买入点|卖出点|买点|卖点|目标价|抄底信号|买卖信号|个股推荐|buysignal|sellsignal|pricetarget|stockpick|targetprice/;

const normalise = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}]/gu, '');

const copyOf = (content: ListingContent): string[] => [content.title, content.description, ...content.plans.map((plan) => plan.name)];

const guardCopy = (content: ListingContent): DomainError | undefined => {
  for (const text of copyOf(content)) {
    const check = checkContent(text);
    if (!check.ok) {
      return ruleViolation('CONTENT.PROHIBITED_PHRASE', check.rule, `listing copy contains "${check.phrase}" (${check.category}, ${check.legalBasis})`, {
        phrase: check.phrase,
        category: check.category,
        legalBasis: check.legalBasis,
      });
    }
  }
  return undefined;
};

const validateContent = (content: ListingContent): DomainError | undefined => {
  if (!isListingKind(content.kind)) return invalid('CATALOG.UNKNOWN_KIND', `unknown listing kind ${String(content.kind)}`);
  if (!content.title?.trim()) return invalid('CATALOG.TITLE_REQUIRED', 'a listing needs a title');
  const planIds = new Set<string>();
  for (const plan of content.plans) {
    if (planIds.has(plan.planId)) return invalid('CATALOG.DUPLICATE_PLAN', `plan ${plan.planId} appears twice`);
    planIds.add(plan.planId);
    if (!Number.isSafeInteger(plan.priceMinor) || plan.priceMinor < 0) {
      return invalid('CATALOG.PLAN_PRICE_INVALID', `plan ${plan.planId}: price is a non-negative integer in minor units`);
    }
    if (!(CURRENCIES as readonly string[]).includes(plan.currency)) return invalid('CATALOG.PLAN_CURRENCY_INVALID', `plan ${plan.planId}: unknown currency`);
    if (!(BILLING_PERIODS as readonly string[]).includes(plan.billingPeriod)) {
      return invalid('CATALOG.PLAN_PERIOD_INVALID', `plan ${plan.planId}: billing period is month, quarter, year or one_off`);
    }
    if (plan.trialDays !== undefined) {
      if (!Number.isInteger(plan.trialDays) || plan.trialDays < 1 || plan.trialDays > 90) {
        return invalid('CATALOG.PLAN_TRIAL_INVALID', `plan ${plan.planId}: trial is 1 to 90 whole days`);
      }
      if (plan.billingPeriod === 'one_off') return invalid('CATALOG.PLAN_TRIAL_INVALID', `plan ${plan.planId}: one-off purchases have no trial`);
    }
  }
  if (familyOf(content.kind) === 'advisory' && content.plans.some((plan) => plan.trialDays !== undefined)) {
    // A free trial is an incentive; incentives never apply to advisory products.
    return ruleViolation('CATALOG.ADVISORY_TRIAL_NOT_ALLOWED', 'V2', 'advisory plans cannot offer a free trial');
  }
  return guardCopy(content);
};

/** L3: the advisory terms missing from a listing, by field name. */
export const missingAdvisoryTerms = (terms: AdvisoryTerms | undefined): string[] => {
  const missing: string[] = [];
  if (!isRiskLevel(terms?.riskLevel)) missing.push('riskLevel');
  const factors = terms?.riskFactors ?? {};
  for (const factor of RISK_FACTORS) {
    const score = factors[factor];
    if (score === undefined || !Number.isInteger(score) || score < 1 || score > 5) missing.push(`riskFactors.${factor}`);
  }
  if (!terms?.horizon) missing.push('horizon');
  if (!terms?.varieties?.length) missing.push('varieties');
  if (!terms?.advisors?.length) missing.push('advisors');
  for (const [index, advisor] of (terms?.advisors ?? []).entries()) {
    if (!advisor.name?.trim()) missing.push(`advisors[${index}].name`);
    if (!isSacRegistrationCode(advisor.sacRegistrationCode ?? '')) missing.push(`advisors[${index}].sacRegistrationCode`);
  }
  if (!terms?.feeBasis?.trim()) missing.push('feeBasis');
  if (!terms?.riskDisclosureVersion?.trim()) missing.push('riskDisclosureVersion');
  if (!terms?.contractVersion?.trim()) missing.push('contractVersion');
  return missing;
};

const hasRole = (actor: Actor, role: string) => actor.roles.includes(role);

/** L2: who may check a submission. Advisory listings need a compliance officer; nobody checks their own submission. */
const checkReviewer = (actor: Actor, family: ProductFamily, submittedBy: string | undefined): DomainError | undefined => {
  if (actor.id === submittedBy) return ruleViolation('CATALOG.MAKER_CANNOT_CHECK', 'L2', 'the submitter of a listing cannot review it');
  if (family === 'advisory' && !hasRole(actor, ROLE_COMPLIANCE_OFFICER)) {
    return forbidden('CATALOG.COMPLIANCE_OFFICER_REQUIRED', 'advisory listings are reviewed by a compliance officer', 'L2');
  }
  if (!hasRole(actor, ROLE_COMPLIANCE_OFFICER) && !hasRole(actor, ROLE_PRODUCT_MANAGER)) {
    return forbidden('CATALOG.REVIEWER_ROLE_REQUIRED', 'listings are reviewed by a compliance officer or another product manager', 'L2');
  }
  return undefined;
};

const requireProductManager = (actor: Actor): DomainError | undefined =>
  hasRole(actor, ROLE_PRODUCT_MANAGER) ? undefined : forbidden('CATALOG.PRODUCT_MANAGER_REQUIRED', 'only product managers maintain listings');

const wrongStatus = (action: string, status: string) =>
  ruleViolation('CATALOG.INVALID_TRANSITION', 'L1', `cannot ${action} a listing that is ${status}`, { status });

const decide = (command: ListingCommand, state: ListingState): ListingEvent[] | DomainError => {
  const by = command.actor.id;
  const { listingId, at } = command;
  if (command.type === 'DraftListing') {
    if (state.status !== 'none') return wrongStatus('draft', 'already drafted');
    const error = requireProductManager(command.actor) ?? validateContent(command.content);
    if (error) return error;
    return [{ type: ListingEventTypes.Drafted, data: { listingId, family: familyOf(command.content.kind), content: command.content, by, at } }];
  }
  if (state.status === 'none') return new DomainError('not_found', 'CATALOG.LISTING_NOT_FOUND', `listing ${listingId} does not exist`);

  switch (command.type) {
    case 'ReviseListing': {
      const error = requireProductManager(command.actor) ?? validateContent(command.content);
      if (error) return error;
      if (state.status === 'submitted' || state.status === 'retired') return wrongStatus('revise', state.status);
      // A revision of approved or published copy goes back through review (V1: a family change is a new review).
      return [
        {
          type: ListingEventTypes.Revised,
          data: { listingId, family: familyOf(command.content.kind), content: command.content, by, at, previousStatus: state.status },
        },
      ];
    }
    case 'SubmitListing': {
      const error = requireProductManager(command.actor);
      if (error) return error;
      if (state.status !== 'draft') return wrongStatus('submit', state.status);
      if (state.content.plans.length === 0) return invalid('CATALOG.PLAN_REQUIRED', 'a listing needs at least one plan');
      if (state.family === 'advisory') {
        const missing = missingAdvisoryTerms(state.content.advisory);
        if (missing.length > 0) {
          return ruleViolation('CATALOG.ADVISORY_TERMS_MISSING', 'L3', `advisory listing is missing: ${missing.join(', ')}`, { missing });
        }
      } else if (copyOf(state.content).some((text) => ADVISORY_FUNCTION.test(normalise(text)))) {
        return ruleViolation(
          'CATALOG.ADVISORY_FUNCTION_IN_VALUE_ADDED',
          'V1',
          'copy offers stock picks, price targets or buy/sell timing: that is an advisory product and must be listed as one',
        );
      }
      const guarded = guardCopy(state.content);
      if (guarded) return guarded;
      return [{ type: ListingEventTypes.Submitted, data: { listingId, family: state.family, by, at } }];
    }
    case 'ApproveListing': {
      if (state.status !== 'submitted') return wrongStatus('approve', state.status);
      const error = checkReviewer(command.actor, state.family, state.submittedBy);
      if (error) return error;
      if (command.confirmedFamily !== state.family) {
        return ruleViolation(
          'CATALOG.FAMILY_MISMATCH',
          'V1',
          `the reviewer classifies this listing as ${command.confirmedFamily}, it was submitted as ${state.family}: reject it so it is resubmitted with the right kind`,
        );
      }
      return [{ type: ListingEventTypes.Approved, data: { listingId, family: state.family, by, at, ...(command.note ? { note: command.note } : {}) } }];
    }
    case 'RejectListing': {
      if (state.status !== 'submitted') return wrongStatus('reject', state.status);
      const error = checkReviewer(command.actor, state.family, state.submittedBy);
      if (error) return error;
      if (!command.reason?.trim()) return invalid('CATALOG.REASON_REQUIRED', 'a rejection states its reason');
      return [{ type: ListingEventTypes.Rejected, data: { listingId, by, at, reason: command.reason } }];
    }
    case 'PublishListing': {
      const error = requireProductManager(command.actor);
      if (error) return error;
      if (state.status !== 'approved') return wrongStatus('publish', state.status);
      return [{ type: ListingEventTypes.Published, data: { listingId, family: state.family, by, at } }];
    }
    case 'RetireListing': {
      const error = requireProductManager(command.actor);
      if (error) return error;
      if (state.status !== 'published') return wrongStatus('retire', state.status);
      return [{ type: ListingEventTypes.Retired, data: { listingId, by, at, reason: command.reason } }];
    }
    case 'SubmitRiskRatingChange': {
      if (state.family !== 'advisory') return ruleViolation('CATALOG.NOT_ADVISORY', 'L4', 'only advisory listings carry a risk rating');
      if (state.status !== 'published') return wrongStatus('change the risk rating of', state.status);
      if (!hasRole(command.actor, ROLE_PRODUCT_MANAGER) && !hasRole(command.actor, ROLE_COMPLIANCE_OFFICER)) {
        return forbidden('CATALOG.PRODUCT_MANAGER_REQUIRED', 'risk-rating changes are requested by product managers or compliance');
      }
      if (state.pendingRatingChange) {
        return new DomainError('conflict', 'CATALOG.RATING_CHANGE_PENDING', `risk-rating change ${state.pendingRatingChange.changeId} is awaiting review`);
      }
      const from = state.content.advisory?.riskLevel as RiskLevel;
      const missing = missingAdvisoryTerms({ ...state.content.advisory, riskLevel: command.riskLevel, riskFactors: command.riskFactors });
      if (missing.length > 0) return ruleViolation('CATALOG.ADVISORY_TERMS_MISSING', 'L3', `risk-rating change is missing: ${missing.join(', ')}`, { missing });
      if (command.riskLevel === from) return invalid('CATALOG.RATING_UNCHANGED', `the listing is already ${from}`);
      if (!command.reason?.trim()) return invalid('CATALOG.REASON_REQUIRED', 'a risk-rating change states its reason');
      return [
        {
          type: ListingEventTypes.RiskRatingChangeSubmitted,
          data: { listingId, changeId: command.changeId, from, to: command.riskLevel, riskFactors: command.riskFactors, reason: command.reason, by, at },
        },
      ];
    }
    case 'ApproveRiskRatingChange':
    case 'RejectRiskRatingChange': {
      const pending = state.pendingRatingChange;
      if (!pending || pending.changeId !== command.changeId) {
        return new DomainError('not_found', 'CATALOG.RATING_CHANGE_NOT_FOUND', `no pending risk-rating change ${command.changeId}`);
      }
      if (command.actor.id === pending.submittedBy) return ruleViolation('CATALOG.MAKER_CANNOT_CHECK', 'L2', 'the requester of a risk-rating change cannot review it');
      if (!hasRole(command.actor, ROLE_COMPLIANCE_OFFICER)) {
        return forbidden('CATALOG.COMPLIANCE_OFFICER_REQUIRED', 'risk-rating changes are reviewed by a compliance officer', 'L2');
      }
      if (command.type === 'RejectRiskRatingChange') {
        return [{ type: ListingEventTypes.RiskRatingChangeRejected, data: { listingId, changeId: pending.changeId, by, at, reason: command.reason } }];
      }
      const from = state.content.advisory?.riskLevel as RiskLevel;
      return [
        {
          type: ListingEventTypes.RiskRatingChangeApproved,
          data: { listingId, changeId: pending.changeId, from, to: pending.to, upward: riskRank(pending.to) > riskRank(from), by, at },
        },
      ];
    }
  }
};

const evolve = (state: ListingState, event: ListingEvent): ListingState => {
  if (event.type === ListingEventTypes.Drafted) {
    return { status: 'draft', listingId: event.data.listingId, family: event.data.family, content: event.data.content };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case ListingEventTypes.Revised:
      return { ...state, status: 'draft', family: event.data.family, content: event.data.content, submittedBy: undefined };
    case ListingEventTypes.Submitted:
      return { ...state, status: 'submitted', submittedBy: event.data.by };
    case ListingEventTypes.Approved:
      return { ...state, status: 'approved', reviewedFamily: event.data.family };
    case ListingEventTypes.Rejected:
      return { ...state, status: 'rejected' };
    case ListingEventTypes.Published:
      return { ...state, status: 'published' };
    case ListingEventTypes.Retired:
      return { ...state, status: 'retired' };
    case ListingEventTypes.RiskRatingChangeSubmitted:
      return {
        ...state,
        pendingRatingChange: { changeId: event.data.changeId, to: event.data.to, riskFactors: event.data.riskFactors, submittedBy: event.data.by },
      };
    case ListingEventTypes.RiskRatingChangeApproved: {
      const pending = state.pendingRatingChange;
      return {
        ...state,
        pendingRatingChange: undefined,
        approvedRatingChanges: (state.approvedRatingChanges ?? 0) + 1,
        content: { ...state.content, advisory: { ...state.content.advisory, riskLevel: event.data.to, riskFactors: pending?.riskFactors } },
      };
    }
    case ListingEventTypes.RiskRatingChangeRejected:
      return { ...state, pendingRatingChange: undefined };
    default:
      return state;
  }
};

export const listingDecider: Decider<ListingCommand, ListingEvent, ListingState> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};

export const listingStreamId = (listingId: string) => `catalog.listing-${listingId}`;

/** What investors, staff and the other contexts ask of an engagement, and the product snapshot the handlers pass in. */
import { Money } from '@app/common';
import { Advisor, DocumentRef, FeeBasis } from '../documents';
import { InvestorSnapshot } from '../investor/investor.decider';
import { Horizon, RiskLevel, Step } from '../shared';
import { AccessRequirements, Initiator } from '../suitability/rule-set';
import { WorkingDayCalendar } from '../working-days';
import { ReturnVisitChecklist } from './engagement.events';

/** The advisory product as the catalog publishes it (L3), at one instant. */
export interface AdvisoryProductSnapshot {
  readonly productId: string;
  /** The plan (price and period) the investor is buying. */
  readonly planId: string;
  readonly name: string;
  readonly published: boolean;
  readonly riskLevel: RiskLevel;
  readonly ratingVersion: number;
  readonly horizon: Horizon;
  readonly varieties: readonly string[];
  readonly access?: AccessRequirements;
  readonly advisors: readonly Advisor[];
  readonly feeBasis: FeeBasis;
  readonly riskDisclosure: DocumentRef;
  readonly specialRiskWarning: DocumentRef;
  readonly contractTemplateVersion: string;
}

interface Base {
  readonly engagementId: string;
  readonly step: Step;
}

export interface MatchSuitability extends Base {
  readonly type: 'MatchSuitability';
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
  /** What the client says; the recorded contacts decide (A5). */
  readonly initiatedBy: Initiator;
  readonly recommendationId?: string;
  readonly attributionWindowDays: number;
}

export interface ConfirmRiskDisclosure extends Base {
  readonly type: 'ConfirmRiskDisclosure';
  readonly document: DocumentRef;
}

export interface SignSpecialRiskWarning extends Base {
  readonly type: 'SignSpecialRiskWarning';
  readonly document: DocumentRef;
}

export interface RecordInsistence extends Base {
  readonly type: 'RecordInsistence';
  readonly statement: string;
}

export interface SignContract extends Base {
  readonly type: 'SignContract';
  /** Assigned by the server from the year's gap-free register (see contract-serials). */
  readonly serial: string;
  /** The content hash of the preview the investor saw, when the client names it: signing anything else is refused. */
  readonly shownHash?: string;
  readonly product: AdvisoryProductSnapshot;
  readonly calendar: WorkingDayCalendar;
}

/**
 * G8 (seed 000, education before products): the lessons (course listings) the product's listing requires before a
 * purchase, and those the investor has completed, read from the listing's and the investor's lesson streams.
 */
export interface EducationStanding {
  readonly requiredLessons: readonly string[];
  readonly completedLessons: readonly string[];
}

export interface PurchaseSubscription extends Base {
  readonly type: 'PurchaseSubscription';
  readonly subscriptionId: string;
  readonly paymentIntentId: string;
  readonly price: Money;
  /** Coupon codes, points or cash-back the client tried to apply; advisory takes none (V2). */
  readonly incentives: readonly string[];
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
  readonly attributionWindowDays: number;
  /** G8: checked at the first purchase; a renewal continues a contract already bought and is not asked again. */
  readonly education: EducationStanding;
}

export interface RenewSubscription extends Base {
  readonly type: 'RenewSubscription';
  readonly paymentIntentId: string;
  readonly price: Money;
  readonly incentives: readonly string[];
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
  readonly attributionWindowDays: number;
}

export interface ApplyProductRerating extends Base {
  readonly type: 'ApplyProductRerating';
  readonly investor: InvestorSnapshot;
  readonly product: AdvisoryProductSnapshot;
}

export interface RescindContract extends Base {
  readonly type: 'RescindContract';
  readonly notice: string;
  /** Fresh refund ids, at least one per payment under the subscription; the i-th captured payment takes the i-th. */
  readonly refundIds: readonly string[];
}

/** The payments context settled a purchase or renewal payment (reported in the transaction recording it). */
export interface SettleSubscriptionPayment extends Base {
  readonly type: 'SettleSubscriptionPayment';
  readonly paymentIntentId: string;
  readonly outcome: 'captured' | 'failed';
  readonly reason?: string;
}

export interface CompleteReturnVisit extends Base {
  readonly type: 'CompleteReturnVisit';
  readonly staffRoles: readonly string[];
  readonly checklist: Partial<ReturnVisitChecklist>;
  readonly notes: string;
}

export type EngagementCommand =
  | MatchSuitability
  | ConfirmRiskDisclosure
  | SignSpecialRiskWarning
  | RecordInsistence
  | SignContract
  | PurchaseSubscription
  | RenewSubscription
  | SettleSubscriptionPayment
  | ApplyProductRerating
  | RescindContract
  | CompleteReturnVisit;

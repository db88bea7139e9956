/** What product managers and compliance ask of a listing, and who they are (L1, L2, L4). */
import { ProductFamily, RiskLevel } from '../listing-kinds';
import { ListingContent } from './content';

export const ROLE_PRODUCT_MANAGER = 'product_manager';
export const ROLE_COMPLIANCE_OFFICER = 'compliance_officer';

export interface Actor {
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

/** The commands of one type, for the functions that decide it. */
export type ListingCommandOf<T extends ListingCommand['type']> = Extract<ListingCommand, { readonly type: T }>;

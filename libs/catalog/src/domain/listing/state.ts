/**
 * A listing's state, one shape per status (L1), and how its events build it. A risk-rating change awaiting review
 * (L4) belongs to no status: once submitted on a published listing it stays pending through a revision or retirement.
 */
import { unreachable } from '@app/common';
import { ProductFamily, RiskLevel } from '../listing-kinds';
import { ListingContent } from './content';
import { ListingEvent, ListingEventTypes } from './events';

export interface PendingRatingChange {
  readonly changeId: string;
  readonly to: RiskLevel;
  readonly riskFactors: Record<string, number>;
  readonly submittedBy: string;
}

interface ListingFacts {
  readonly listingId: string;
  readonly family: ProductFamily;
  readonly content: ListingContent;
  readonly pendingRatingChange: PendingRatingChange | null;
  /** Approved risk-rating changes so far: the rating in force is version 1 + this (L4). */
  readonly approvedRatingChanges: number;
}

export interface DraftedListing extends ListingFacts {
  readonly status: 'draft';
}

export interface SubmittedListing extends ListingFacts {
  readonly status: 'submitted';
  /** The maker, who may not be the checker (L2). */
  readonly submittedBy: string;
}

export interface ApprovedListing extends ListingFacts {
  readonly status: 'approved';
}

export interface RejectedListing extends ListingFacts {
  readonly status: 'rejected';
}

export interface PublishedListing extends ListingFacts {
  readonly status: 'published';
}

export interface RetiredListing extends ListingFacts {
  readonly status: 'retired';
}

export type Listing = DraftedListing | SubmittedListing | ApprovedListing | RejectedListing | PublishedListing | RetiredListing;
export type ListingStatus = Listing['status'];
export type ListingState = { readonly status: 'none' } | Listing;

const factsOf = ({ listingId, family, content, pendingRatingChange, approvedRatingChanges }: Listing): ListingFacts => ({
  listingId,
  family,
  content,
  pendingRatingChange,
  approvedRatingChanges,
});

export const evolve = (state: ListingState, event: ListingEvent): ListingState => {
  if (event.type === ListingEventTypes.Drafted) {
    const { listingId, family, content } = event.data;
    return { status: 'draft', listingId, family, content, pendingRatingChange: null, approvedRatingChanges: 0 };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case ListingEventTypes.Revised:
      return { ...factsOf(state), status: 'draft', family: event.data.family, content: event.data.content };
    case ListingEventTypes.Submitted:
      return { ...factsOf(state), status: 'submitted', submittedBy: event.data.by };
    case ListingEventTypes.Approved:
      return { ...factsOf(state), status: 'approved' };
    case ListingEventTypes.Rejected:
      return { ...factsOf(state), status: 'rejected' };
    case ListingEventTypes.Published:
      return { ...factsOf(state), status: 'published' };
    case ListingEventTypes.Retired:
      return { ...factsOf(state), status: 'retired' };
    case ListingEventTypes.RiskRatingChangeSubmitted: {
      const { changeId, to, riskFactors, by } = event.data;
      return { ...state, pendingRatingChange: { changeId, to, riskFactors, submittedBy: by } };
    }
    case ListingEventTypes.RiskRatingChangeApproved:
      return {
        ...state,
        pendingRatingChange: null,
        approvedRatingChanges: state.approvedRatingChanges + 1,
        content: {
          ...state.content,
          advisory: { ...state.content.advisory, riskLevel: event.data.to, riskFactors: state.pendingRatingChange?.riskFactors },
        },
      };
    case ListingEventTypes.RiskRatingChangeRejected:
      return { ...state, pendingRatingChange: null };
    default:
      return unreachable(event);
  }
};

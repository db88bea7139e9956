/** Events of one listing (`catalog.listing-<listingId>`): its lifecycle (L1), its reviews (L2, V1) and its risk-rating changes (L4). */
import type { DomainEvent } from '@app/common';
import type { ProductFamily, RiskLevel } from '../listing-kinds';
import type { ListingContent } from './content';
import type { ListingStatus } from './state';

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

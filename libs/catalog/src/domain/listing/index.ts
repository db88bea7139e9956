/**
 * The listing aggregate: what product teams offer and compliance reviews. Lifecycle (L1), maker-checker (L2), the
 * advisory terms an advisory listing must carry (L3), family fixed at review (V1), content guard on every piece of copy
 * (V3) and the risk-rating change flow (L4).
 */
import { Decider, DomainError, unreachable } from '@app/common';
import { ListingCommand } from './commands';
import { ListingEvent } from './events';
import { approve, draft, publish, reject, retire, revise, submit } from './lifecycle';
import { reviewRatingChange, submitRatingChange } from './risk-rating';
import { evolve, ListingState } from './state';

export { RISK_FACTORS, missingAdvisoryTerms } from './content';
export type { Advisor, AdvisoryTerms, ListingContent, Plan, RiskFactorSheet } from './content';
export { ROLE_COMPLIANCE_OFFICER, ROLE_PRODUCT_MANAGER } from './commands';
export type { ListingCommand } from './commands';
export { ListingEventTypes } from './events';
export type { ListingEvent } from './events';
export type {
  ApprovedListing,
  DraftedListing,
  Listing,
  ListingState,
  ListingStatus,
  PendingRatingChange,
  PublishedListing,
  RejectedListing,
  RetiredListing,
  SubmittedListing,
} from './state';

const decide = (command: ListingCommand, state: ListingState): ListingEvent[] | DomainError => {
  if (command.type === 'DraftListing') return draft(command, state);
  if (state.status === 'none')
    return new DomainError('not_found', 'CATALOG.LISTING_NOT_FOUND', `listing ${command.listingId} does not exist`);
  switch (command.type) {
    case 'ReviseListing':
      return revise(command, state);
    case 'SubmitListing':
      return submit(command, state);
    case 'ApproveListing':
      return approve(command, state);
    case 'RejectListing':
      return reject(command, state);
    case 'PublishListing':
      return publish(command, state);
    case 'RetireListing':
      return retire(command, state);
    case 'SubmitRiskRatingChange':
      return submitRatingChange(command, state);
    case 'ApproveRiskRatingChange':
    case 'RejectRiskRatingChange':
      return reviewRatingChange(command, state);
    default:
      return unreachable(command);
  }
};

export const listingDecider: Decider<ListingCommand, ListingEvent, ListingState> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};

export const listingStreamId = (listingId: string) => `catalog.listing-${listingId}`;

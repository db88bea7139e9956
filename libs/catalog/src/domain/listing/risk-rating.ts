/** L4: changing the risk rating of a published advisory listing, requested by one person and reviewed by compliance. */
import { DomainError, forbidden, invalid, ruleViolation } from '@app/common';
import { RiskLevel, riskRank } from '../listing-kinds';
import { ListingCommandOf, ROLE_COMPLIANCE_OFFICER, ROLE_PRODUCT_MANAGER } from './commands';
import { missingAdvisoryTerms } from './content';
import { ListingEvent, ListingEventTypes } from './events';
import { wrongStatus } from './lifecycle';
import { hasRole } from './roles';
import { Listing } from './state';

type Decision = ListingEvent[] | DomainError;

/**
 * The level in force, which a change moves away from. A revision may have dropped it while a change was pending (the
 * change outlives the revision), and a change needs a level to move from.
 */
const levelInForce = (state: Listing): RiskLevel | DomainError =>
  state.content.advisory?.riskLevel ??
  ruleViolation('CATALOG.ADVISORY_TERMS_MISSING', 'L3', 'the listing carries no risk level to change', { missing: ['riskLevel'] });

export const submitRatingChange = (command: ListingCommandOf<'SubmitRiskRatingChange'>, state: Listing): Decision => {
  if (state.family !== 'advisory') return ruleViolation('CATALOG.NOT_ADVISORY', 'L4', 'only advisory listings carry a risk rating');
  if (state.status !== 'published') return wrongStatus('change the risk rating of', state.status);
  if (!hasRole(command.actor, ROLE_PRODUCT_MANAGER) && !hasRole(command.actor, ROLE_COMPLIANCE_OFFICER)) {
    return forbidden('CATALOG.PRODUCT_MANAGER_REQUIRED', 'risk-rating changes are requested by product managers or compliance');
  }
  if (state.pendingRatingChange) {
    return new DomainError(
      'conflict',
      'CATALOG.RATING_CHANGE_PENDING',
      `risk-rating change ${state.pendingRatingChange.changeId} is awaiting review`,
    );
  }
  const from = levelInForce(state);
  if (from instanceof DomainError) return from;
  const missing = missingAdvisoryTerms({ ...state.content.advisory, riskLevel: command.riskLevel, riskFactors: command.riskFactors });
  if (missing.length > 0)
    return ruleViolation('CATALOG.ADVISORY_TERMS_MISSING', 'L3', `risk-rating change is missing: ${missing.join(', ')}`, { missing });
  if (command.riskLevel === from) return invalid('CATALOG.RATING_UNCHANGED', `the listing is already ${from}`);
  if (!command.reason?.trim()) return invalid('CATALOG.REASON_REQUIRED', 'a risk-rating change states its reason');
  const { listingId, changeId, riskLevel, riskFactors, reason, at } = command;
  return [
    {
      type: ListingEventTypes.RiskRatingChangeSubmitted,
      data: { listingId, changeId, from, to: riskLevel, riskFactors, reason, by: command.actor.id, at },
    },
  ];
};

export const reviewRatingChange = (
  command: ListingCommandOf<'ApproveRiskRatingChange' | 'RejectRiskRatingChange'>,
  state: Listing,
): Decision => {
  const pending = state.pendingRatingChange;
  if (!pending || pending.changeId !== command.changeId) {
    return new DomainError('not_found', 'CATALOG.RATING_CHANGE_NOT_FOUND', `no pending risk-rating change ${command.changeId}`);
  }
  if (command.actor.id === pending.submittedBy)
    return ruleViolation('CATALOG.MAKER_CANNOT_CHECK', 'L2', 'the requester of a risk-rating change cannot review it');
  if (!hasRole(command.actor, ROLE_COMPLIANCE_OFFICER)) {
    return forbidden('CATALOG.COMPLIANCE_OFFICER_REQUIRED', 'risk-rating changes are reviewed by a compliance officer', 'L2');
  }
  const { listingId, at } = command;
  const by = command.actor.id;
  if (command.type === 'RejectRiskRatingChange') {
    return [
      { type: ListingEventTypes.RiskRatingChangeRejected, data: { listingId, changeId: pending.changeId, by, at, reason: command.reason } },
    ];
  }
  const from = levelInForce(state);
  if (from instanceof DomainError) return from;
  return [
    {
      type: ListingEventTypes.RiskRatingChangeApproved,
      data: { listingId, changeId: pending.changeId, from, to: pending.to, upward: riskRank(pending.to) > riskRank(from), by, at },
    },
  ];
};

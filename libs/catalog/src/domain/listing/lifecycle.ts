/** L1 and V1: drafting, revising, submitting, reviewing, publishing and retiring a listing. */
import { DomainError, invalid, ruleViolation } from '@app/common';
import { familyOf } from '../listing-kinds';
import { ListingCommandOf } from './commands';
import { guardCopy, missingAdvisoryTerms, offersAdvisoryFunction, validateContent } from './content';
import { ListingEvent, ListingEventTypes } from './events';
import { checkReviewer, requireProductManager } from './roles';
import { Listing, ListingState } from './state';

type Decision = ListingEvent[] | DomainError;

export const wrongStatus = (action: string, status: string) =>
  ruleViolation('CATALOG.INVALID_TRANSITION', 'L1', `cannot ${action} a listing that is ${status}`, { status });

export const draft = (command: ListingCommandOf<'DraftListing'>, state: ListingState): Decision => {
  if (state.status !== 'none') return wrongStatus('draft', 'already drafted');
  const error = requireProductManager(command.actor) ?? validateContent(command.content);
  if (error) return error;
  const { listingId, at, content } = command;
  return [{ type: ListingEventTypes.Drafted, data: { listingId, family: familyOf(content.kind), content, by: command.actor.id, at } }];
};

export const revise = (command: ListingCommandOf<'ReviseListing'>, state: Listing): Decision => {
  const error = requireProductManager(command.actor) ?? validateContent(command.content);
  if (error) return error;
  if (state.status === 'submitted' || state.status === 'retired') return wrongStatus('revise', state.status);
  const { listingId, at, content } = command;
  // A revision of approved or published copy goes back through review (V1: a family change is a new review).
  return [
    {
      type: ListingEventTypes.Revised,
      data: { listingId, family: familyOf(content.kind), content, by: command.actor.id, at, previousStatus: state.status },
    },
  ];
};

export const submit = (command: ListingCommandOf<'SubmitListing'>, state: Listing): Decision => {
  const error = requireProductManager(command.actor);
  if (error) return error;
  if (state.status !== 'draft') return wrongStatus('submit', state.status);
  if (state.content.plans.length === 0) return invalid('CATALOG.PLAN_REQUIRED', 'a listing needs at least one plan');
  if (state.family === 'advisory') {
    const missing = missingAdvisoryTerms(state.content.advisory);
    if (missing.length > 0) {
      return ruleViolation('CATALOG.ADVISORY_TERMS_MISSING', 'L3', `advisory listing is missing: ${missing.join(', ')}`, { missing });
    }
  } else if (offersAdvisoryFunction(state.content)) {
    return ruleViolation(
      'CATALOG.ADVISORY_FUNCTION_IN_VALUE_ADDED',
      'V1',
      'copy offers stock picks, price targets or buy/sell timing: that is an advisory product and must be listed as one',
    );
  }
  const guarded = guardCopy(state.content);
  if (guarded) return guarded;
  return [
    {
      type: ListingEventTypes.Submitted,
      data: { listingId: command.listingId, family: state.family, by: command.actor.id, at: command.at },
    },
  ];
};

export const approve = (command: ListingCommandOf<'ApproveListing'>, state: Listing): Decision => {
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
  const { listingId, at, note } = command;
  return [
    { type: ListingEventTypes.Approved, data: { listingId, family: state.family, by: command.actor.id, at, ...(note ? { note } : {}) } },
  ];
};

export const reject = (command: ListingCommandOf<'RejectListing'>, state: Listing): Decision => {
  if (state.status !== 'submitted') return wrongStatus('reject', state.status);
  const error = checkReviewer(command.actor, state.family, state.submittedBy);
  if (error) return error;
  if (!command.reason?.trim()) return invalid('CATALOG.REASON_REQUIRED', 'a rejection states its reason');
  return [
    {
      type: ListingEventTypes.Rejected,
      data: { listingId: command.listingId, by: command.actor.id, at: command.at, reason: command.reason },
    },
  ];
};

export const publish = (command: ListingCommandOf<'PublishListing'>, state: Listing): Decision => {
  const error = requireProductManager(command.actor);
  if (error) return error;
  if (state.status !== 'approved') return wrongStatus('publish', state.status);
  return [
    {
      type: ListingEventTypes.Published,
      data: { listingId: command.listingId, family: state.family, by: command.actor.id, at: command.at },
    },
  ];
};

export const retire = (command: ListingCommandOf<'RetireListing'>, state: Listing): Decision => {
  const error = requireProductManager(command.actor);
  if (error) return error;
  if (state.status !== 'published') return wrongStatus('retire', state.status);
  return [
    {
      type: ListingEventTypes.Retired,
      data: { listingId: command.listingId, by: command.actor.id, at: command.at, reason: command.reason },
    },
  ];
};

/** Loading an engagement for a command, and the view of it that engagement commands answer with. */
import { CommandContext, notFound } from '@app/common';
import { AggregateStore } from '@app/platform';
import { Engagement, EngagementState, Outstanding, engagementDecider, engagementStreamId } from '../../domain';

export const loadEngagement = async (store: AggregateStore, engagementId: string): Promise<Engagement> =>
  existing((await store.load(engagementDecider, engagementStreamId(engagementId))).state, engagementId);

/** The engagement, or 404 if it was never matched. */
export const existing = (state: EngagementState, engagementId: string): Engagement => {
  if (state.status === 'none') throw notFound('ENGAGEMENT.NOT_FOUND', `no engagement ${engagementId}`);
  return state;
};

/** Investors see only their own engagements; anything else is answered as if it did not exist. */
export const ownEngagement = async (store: AggregateStore, engagementId: string, context: CommandContext): Promise<Engagement> =>
  owned(await loadEngagement(store, engagementId), engagementId, context);

export const owned = (state: EngagementState, engagementId: string, context: CommandContext): Engagement => {
  if (state.status === 'none' || state.investorId !== context.actor.id)
    throw notFound('ENGAGEMENT.NOT_FOUND', `no engagement ${engagementId}`);
  return state;
};

/** What the opinion still asks of the investor: a warning or insistence given for the current rating is done (A5). */
const stillOutstanding = (state: Engagement): Outstanding[] =>
  state.matching.opinion.outstanding.filter((item) =>
    item === 'special_risk_warning'
      ? state.warningRatingVersion !== state.rating.ratingVersion
      : state.insistenceRatingVersion !== state.rating.ratingVersion,
  );

/** The engagement as the investor and compliance read it: the opinion, what is still outstanding, and every step taken (E4). */
export const engagementView = (state: EngagementState) =>
  state.status === 'none'
    ? null
    : {
        engagementId: state.engagementId,
        productId: state.productId,
        planId: state.planId,
        status: state.status,
        initiatedBy: state.initiatedBy,
        opinion: { ...state.matching.opinion, outstanding: stillOutstanding(state) },
        steps: state.steps,
        requiredDocuments: state.matching.requiredDocuments,
        rating: state.rating,
        disclosureConfirmed: state.disclosure !== null,
        contract: state.contract,
        subscription: state.subscription,
        renewalBlocked: state.renewalBlocked !== null,
        returnVisit: state.returnVisit,
      };

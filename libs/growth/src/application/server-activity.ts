/**
 * The server-side activity of the log (registration, account opening, assessment, matching, trials, purchases), as
 * the growth context counts it: a pure mapping from recorded events to observed activity. The client event id is the
 * log event's id, so a replay records nothing twice.
 */
import { RecordedEvent } from '@app/event-store';
import { ADVISORY_KINDS } from '@app/catalog';
import { ObservedActivity } from '../audience';
import { ServerActivityType } from '../domain/activity';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

const instantOf = (event: RecordedEvent): Date => {
  const d = event.data;
  const step = d.step as { at?: unknown } | undefined;
  const at = text(step?.at) ?? text(d.at) ?? text(d.registeredAt);
  const parsed = at ? new Date(at) : event.recordedAt;
  return Number.isNaN(parsed.getTime()) ? event.recordedAt : parsed;
};

const TYPES: Readonly<Record<string, ServerActivityType>> = {
  'identity.UserRegistered': 'registered',
  'advisory.AccountOpened': 'account_opened',
  'advisory.RiskAssessed': 'risk_assessed',
  'advisory.SuitabilityMatched': 'suitability_matched',
  'advisory.SubscriptionPurchased': 'purchased',
  'value-added.TrialStarted': 'trial_started',
  'value-added.SubscriptionRequested': 'purchase_requested',
  'value-added.SubscriptionActivated': 'purchased',
  'growth.LessonCompleted': 'lesson_completed',
};

/** The activity one event stands for, or null (most events are not activity). */
export const serverActivityOf = (event: RecordedEvent): ObservedActivity | null => {
  const type = Object.hasOwn(TYPES, event.type) ? TYPES[event.type] : undefined;
  if (!type) return null;
  const d = event.data;
  const investorId = text(d.investorId) ?? text(d.userId);
  if (!investorId) return null;
  const listingId = text(d.listingId) ?? text(d.productId);
  const kind = text(d.kind) ?? text(d.productKind);
  const properties: Record<string, string> = { eventType: event.type };
  if (listingId) properties.listingId = listingId;
  if (kind) properties.productKind = kind;
  if (text(d.lessonId)) properties.lessonId = String(d.lessonId);
  // An account opening and a risk assessment prepare the investor for every advisory kind (准备资料).
  const productKinds = type === 'account_opened' || type === 'risk_assessed' ? ADVISORY_KINDS : undefined;
  return {
    investorId,
    type,
    at: instantOf(event),
    clientEventId: `event:${event.id}`,
    properties,
    ...(productKinds ? { productKinds } : {}),
  };
};

/** Which payment a purchase event pays for which listing (value-added names `paymentId`, advisory `paymentIntentId`). */
export const paymentListingOf = (event: RecordedEvent): { paymentId: string; listingId: string } | null => {
  const d = event.data;
  const paymentId = text(d.paymentId) ?? text(d.paymentIntentId);
  const listingId = text(d.listingId) ?? text(d.productId);
  return paymentId && listingId && !event.type.startsWith('payments.') ? { paymentId, listingId } : null;
};

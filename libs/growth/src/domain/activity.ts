/**
 * What the app and the server observe (G7: collected only under analytics consent; not regulated evidence), and how
 * each observation moves an investor along the conversion funnel (seed 004) for a product kind.
 */
import { FUNNEL_STAGES, FunnelStage } from './segments';

/** Activity the app reports through the ingest endpoint. */
export const APP_ACTIVITY_TYPES = [
  'app_opened',
  'logged_in',
  'watchlist_viewed',
  'positions_viewed',
  'listing_viewed',
  'watchlist_added',
  'price_alert_set',
  'rules_read',
  'documents_read',
  'simulated_trade',
  'lesson_started',
] as const;

/** Activity the server derives from the event log (registration, account opening, assessment, purchase, payment…). */
export const SERVER_ACTIVITY_TYPES = [
  'registered',
  'account_opened',
  'risk_assessed',
  'suitability_matched',
  'trial_started',
  'purchase_requested',
  'purchased',
  'payment_captured',
  'lesson_completed',
] as const;

export type AppActivityType = (typeof APP_ACTIVITY_TYPES)[number];
export type ServerActivityType = (typeof SERVER_ACTIVITY_TYPES)[number];
export type ActivityType = AppActivityType | ServerActivityType;

const KNOWN: ReadonlySet<string> = new Set<string>([...APP_ACTIVITY_TYPES, ...SERVER_ACTIVITY_TYPES]);
export const isActivityType = (value: string): value is ActivityType => KNOWN.has(value);

/**
 * The funnel stage an activity is evidence of (感知业务 → 产生意向 → 了解业务及规则 → 体验交易 → 准备资料 → 开通权限 → 进行交易):
 * seeing a listing is awareness, watching it or setting an alert is intent, reading its rules or documents or finishing
 * a lesson about it is learning the rules, a simulated trade or a trial is trying, opening an account, being assessed
 * or requesting a purchase is preparing, a suitability match (permission for that product) is permission, a purchase
 * is the transaction. Activities without a stage count for activity only.
 */
const STAGES: Readonly<Partial<Record<ActivityType, FunnelStage>>> = {
  listing_viewed: 'aware',
  watchlist_added: 'interested',
  price_alert_set: 'interested',
  rules_read: 'learned_rules',
  documents_read: 'learned_rules',
  lesson_completed: 'learned_rules',
  simulated_trade: 'tried',
  trial_started: 'tried',
  account_opened: 'prepared',
  risk_assessed: 'prepared',
  purchase_requested: 'prepared',
  suitability_matched: 'permitted',
  purchased: 'transacted',
};

export const funnelStageOf = (type: string): FunnelStage | null => (isActivityType(type) ? (STAGES[type] ?? null) : null);

export const stageIndex = (stage: FunnelStage): number => FUNNEL_STAGES.indexOf(stage);

/**
 * Reaching a stage implies the earlier ones (nobody transacts without having been aware of the product): the
 * instants a funnel row takes from one observation, earlier stages included, later ones untouched.
 */
export const stagesReached = (stage: FunnelStage, at: Date): ReadonlyMap<FunnelStage, Date> =>
  new Map(FUNNEL_STAGES.slice(0, stageIndex(stage) + 1).map((reached) => [reached, at]));

/** Merges two funnel rows: each stage keeps its earliest instant. */
export const mergeFunnel = (row: ReadonlyMap<FunnelStage, Date>, next: ReadonlyMap<FunnelStage, Date>): ReadonlyMap<FunnelStage, Date> => {
  const merged = new Map(row);
  for (const [stage, at] of next) {
    const known = merged.get(stage);
    if (!known || at < known) merged.set(stage, at);
  }
  return merged;
};

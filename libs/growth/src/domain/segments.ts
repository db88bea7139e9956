/** The named segments and funnel stages the growth context counts (re-exported by audience.ts). */
/** RFM segments, from payments (recency, frequency, monetary quintiles). */
export const RFM_SEGMENTS = ['champions', 'loyal', 'potential', 'new', 'at_risk', 'hibernating', 'lost'] as const;
export type RfmSegment = (typeof RFM_SEGMENTS)[number];

/**
 * The conversion funnel (seed 004): 感知业务 aware → 产生意向 interested → 了解业务及规则 learned_rules → 体验交易 tried →
 * 准备资料 prepared → 开通权限 permitted → 进行交易 transacted.
 */
export const FUNNEL_STAGES = ['aware', 'interested', 'learned_rules', 'tried', 'prepared', 'permitted', 'transacted'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

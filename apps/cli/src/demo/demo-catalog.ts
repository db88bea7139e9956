/**
 * The demo catalog: value-added products of every kind and advisory products at several risk levels, as a product team
 * would list them. Prices in fen (integer minor units).
 */
export interface DemoListing {
  readonly kind: string;
  readonly title: string;
  readonly description: string;
  readonly plans: readonly Record<string, unknown>[];
  readonly advisory?: Record<string, unknown>;
}

const cny = (planId: string, name: string, priceMinor: number, billingPeriod: string, extra: Record<string, unknown> = {}) => ({
  planId,
  name,
  priceMinor,
  currency: 'CNY',
  billingPeriod,
  ...extra,
});

export const VALUE_ADDED_LISTINGS: readonly DemoListing[] = [
  {
    kind: 'level2_data',
    title: 'Level-2 十档行情 · 沪深A股',
    description: '沪深两市十档买卖盘口、逐笔成交与委托队列，实时推送。',
    plans: [cny('monthly', '月度', 3000, 'month', { trialDays: 7 }), cny('yearly', '年度', 30000, 'year')],
  },
  {
    kind: 'course',
    title: '期权入门到实战 · 12讲',
    description: '从期权定价、希腊字母到备兑开仓与保护性认沽，12节视频课程配套练习。',
    plans: [cny('lifetime', '永久观看', 19900, 'one_off')],
  },
  {
    kind: 'tool',
    title: '多因子选股器 Pro',
    description: '估值、成长、质量、动量等40余个因子自定义组合筛选，每日收盘后更新。',
    plans: [cny('monthly', '月度', 9900, 'month'), cny('quarterly', '季度', 26800, 'quarter')],
  },
  {
    kind: 'article',
    title: '每日盘前要闻精选',
    description: '每个交易日8:30前送达：隔夜外盘、政策要闻、板块异动与当日重要日程。',
    plans: [cny('monthly', '月度', 1900, 'month', { trialDays: 7 })],
  },
  {
    kind: 'simulated_trading_prop',
    title: '模拟交易大赛 · 额外资金卡',
    description: '在模拟交易大赛中增加10万元虚拟资金，仅用于模拟盘，不涉及真实资金。',
    plans: [cny('card', '单张', 600, 'one_off')],
  },
];

/** Advisory listings name their advisors (with SAC registration codes): filled in with the demo advisor's account. */
export const advisoryListings = (advisor: { advisorId: string; name: string; sacRegistrationCode: string }): DemoListing[] => [
  {
    kind: 'stock_picking_strategy',
    title: '价值精选组合',
    description: '基于基本面研究的A股组合策略，每季度调仓，持仓10至20只。投资有风险，入市需谨慎。',
    plans: [cny('quarterly', '季度', 98000, 'quarter')],
    advisory: {
      riskLevel: 'R3',
      riskFactors: { liquidity: 2, principalLoss: 3, complexity: 3, leverage: 1 },
      horizon: 'medium',
      varieties: ['a_shares'],
      advisors: [advisor],
      feeBasis: 'fixed_subscription',
      riskDisclosureVersion: 'RD-2025.1',
      contractVersion: 'AC-2025.1',
    },
  },
  {
    kind: 'trading_strategy',
    title: '趋势跟踪交易策略',
    description: '以中短期趋势信号为主的A股与ETF交易策略，信号盘中推送，换手率较高。投资有风险，入市需谨慎。',
    plans: [cny('monthly', '月度', 58000, 'month')],
    advisory: {
      riskLevel: 'R4',
      riskFactors: { liquidity: 3, principalLoss: 4, complexity: 4, leverage: 1 },
      horizon: 'short',
      varieties: ['a_shares', 'etfs'],
      advisors: [advisor],
      feeBasis: 'fixed_subscription',
      riskDisclosureVersion: 'RD-2025.1',
      contractVersion: 'AC-2025.1',
    },
  },
  {
    kind: 'human_advisor_service',
    title: '一对一资产配置顾问',
    description: '持证投资顾问按季度复盘持仓，提供以基金为主的资产配置建议。投资有风险，入市需谨慎。',
    plans: [cny('yearly', '年度', 360000, 'year')],
    advisory: {
      riskLevel: 'R2',
      riskFactors: { liquidity: 2, principalLoss: 2, complexity: 2, leverage: 1 },
      horizon: 'long',
      varieties: ['funds'],
      advisors: [advisor],
      feeBasis: 'fixed_subscription',
      riskDisclosureVersion: 'RD-2025.1',
      contractVersion: 'AC-2025.1',
    },
  },
];

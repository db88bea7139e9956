import { TestApp } from '../support/app';

/** Listing bodies and a helper that takes a listing through review to published, as the API expects them. */
export const level2Listing = (overrides: Record<string, unknown> = {}) => ({
  kind: 'level2_data',
  title: 'Level-2 十档行情',
  description: '十档买卖盘口与逐笔成交，实时推送',
  plans: [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }],
  ...overrides,
});

export const advisoryListing = (overrides: Record<string, unknown> = {}) => ({
  kind: 'stock_picking_strategy',
  title: '价值精选组合',
  description: '基于基本面研究的组合策略。投资有风险，入市需谨慎。',
  plans: [{ planId: 'quarterly', name: '季度', priceMinor: 98000, currency: 'CNY', billingPeriod: 'quarter' }],
  advisory: {
    riskLevel: 'R3',
    riskFactors: { liquidity: 2, principalLoss: 3, complexity: 3, leverage: 1 },
    horizon: 'medium',
    varieties: ['a_shares'],
    advisors: [{ advisorId: 'adv-1', name: '张三', sacRegistrationCode: 'S0260611080001' }],
    feeBasis: 'fixed_subscription',
    riskDisclosureVersion: 'RD-2025.1',
    contractVersion: 'AC-2025.1',
  },
  ...overrides,
});

export interface Staff {
  readonly pm: { userId: string; token: string };
  readonly checker: { userId: string; token: string };
  readonly compliance: { userId: string; token: string };
}

export const registerStaff = async (t: TestApp): Promise<Staff> => ({
  pm: await t.register('product_manager'),
  checker: await t.register('product_manager'),
  compliance: await t.register('compliance_officer'),
});

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Draft, submit, approve (by compliance), publish: returns the listing id. */
export const publishListing = async (t: TestApp, staff: Staff, body: Record<string, unknown>): Promise<string> => {
  const drafted = await t.http.post('/catalog/listings').set(auth(staff.pm.token)).send(body).expect(201);
  const listingId = drafted.body.listingId as string;
  await t.http.post(`/catalog/listings/${listingId}/submit`).set(auth(staff.pm.token)).expect(200);
  const family = String(body.kind).match(/strategy|advisor/) ? 'advisory' : 'value_added';
  await t.http
    .post(`/catalog/listings/${listingId}/approve`)
    .set(auth(staff.compliance.token))
    .send({ confirmedFamily: family })
    .expect(200);
  await t.http.post(`/catalog/listings/${listingId}/publish`).set(auth(staff.pm.token)).expect(200);
  return listingId;
};

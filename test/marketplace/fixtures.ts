import { contentHash, currentDocument, nationalIdCheckChar } from '@app/advisory';
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

/** Makes the birth dates 1985-06-10 to 1985-06-19 and the sequence numbers unique: 100 accounts per test file. */
let nationalIdSerial = 100;

/**
 * Opens the investor's advisory account under a real name (a national ID unique within the test file), takes the risk
 * assessment with these answers and confirms it: the investor then has a risk level that products are matched to.
 */
export const openAssessedAccount = async (t: TestApp, token: string, answers: Record<string, string>): Promise<void> => {
  const first17 = `110105198506${String(++nationalIdSerial).padStart(3, '0')}10`.slice(0, 17);
  await t.http
    .post('/advisory/account')
    .set(auth(token))
    .send({
      legalName: '王小明',
      nationalId: first17 + nationalIdCheckChar(first17),
      mobile: '13912345678',
      profile: {
        occupation: 'engineer',
        incomeBand: '100k_500k',
        assetsBand: '500k_3m',
        experienceYears: 3,
        objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: 'long' },
      },
      sensitiveDataConsent: true,
      consentTextHash: contentHash(currentDocument('sensitive_data_consent')!.text),
    })
    .expect(201);
  const result = await t.http.post('/advisory/assessments').set(auth(token)).send({ answers }).expect(201);
  await t.http.post(`/advisory/assessments/${result.body.assessmentId}/confirmation`).set(auth(token)).expect(200);
};

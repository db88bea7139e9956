/**
 * The advisory gates under load, each against GET /me (a trivial authenticated route) on the same app, in interleaved
 * rounds: a suitability check (investor and listing streams read, rule set SM-2025.1 evaluated) and a purchase
 * (idempotency claim, the full A7 gate, the engagement append, the payment request and the idempotency record in one
 * transaction, read-your-writes wait; the sandbox provider's notifications then settle the payments in the background,
 * activating the subscriptions, as in production).
 */
import { nationalIdCheckChar } from '@app/advisory';
import { LoadResult, load, publishAdvisoryListing, ratio, startBenchApp, startBenchDatabase } from './support';

const CONNECTIONS = 16;
const SECONDS = 3;
const ROUNDS = 2;
/** Purchases a second the first pool is sized for (about twice today's rate on the development machine). */
const INITIAL_RATE = 400;
const SETUP_WORKERS = 16;

const C3 = {
  q01_civil_capacity: 'a',
  q02_age: 'b',
  q03_income: 'a',
  q04_assets: 'a',
  q05_debt: 'c',
  q06_experience_years: 'c',
  q07_products_held: 'a',
  q08_knowledge: 'b',
  q09_objective: 'c',
  q10_horizon: 'a',
  q11_loss_tolerance: 'b',
  q12_drawdown_reaction: 'a',
};

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('advisory');
  const bench = await startBenchApp(db.url, { PASSWORD_HASH_COST: '10' });
  try {
    const call = async (method: string, path: string, token?: string, body?: unknown, expected = [200, 201, 204]) => {
      const response = await fetch(`${bench.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!expected.includes(response.status)) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const admin = (await call('POST', '/auth/login', undefined, { email: 'admin@example.com', password: 'bench-admin-password' }))
      .accessToken as string;
    let n = 0;
    const user = async (role?: string) => {
      const email = `bench${++n}@example.com`;
      const registered = await call('POST', '/auth/register', undefined, {
        email,
        password: 'a-long-enough-password',
        displayName: `Bench ${n}`,
      });
      if (!role) return { id: registered.userId as string, token: registered.accessToken as string };
      await call('POST', `/admin/users/${registered.userId}/roles`, admin, { role });
      const login = await call('POST', '/auth/login', undefined, { email, password: 'a-long-enough-password' });
      return { id: registered.userId as string, token: login.accessToken as string };
    };
    const [pm, compliance, advisor, investor] = [
      await user('product_manager'),
      await user('compliance_officer'),
      await user('advisor'),
      await user(),
    ];
    const productId = await publishAdvisoryListing(call, { pmToken: pm.token, complianceToken: compliance.token, advisorId: advisor.id });

    const served = (await call('GET', '/advisory/documents?current=true', investor.token)) as { kind: string; contentHash: string }[];
    await call('POST', '/advisory/account', investor.token, {
      legalName: '王小明',
      nationalId: '11010519850614002' + nationalIdCheckChar('11010519850614002'),
      mobile: '13912345678',
      profile: {
        occupation: 'engineer',
        incomeBand: '100k_500k',
        assetsBand: '500k_3m',
        experienceYears: 3,
        objectives: { goal: 'growth', varieties: ['equities'], horizon: 'long' },
      },
      sensitiveDataConsent: true,
      consentTextHash: served.find((d) => d.kind === 'sensitive_data_consent')!.contentHash,
    });
    const assessment = await call('POST', '/advisory/assessments', investor.token, { answers: C3 });
    await call('POST', `/advisory/assessments/${assessment.assessmentId}/confirmation`, investor.token);
    const disclosureHash = ((await call('GET', '/advisory/documents', investor.token)) as { kind: string; contentHash: string }[]).find(
      (d) => d.kind === 'risk_disclosure',
    )!.contentHash;

    // Contracted engagements, each bought once during the measurement. The pool is sized from the time budget: enough
    // for INITIAL_RATE purchases a second at first, then topped up before each purchase round (outside the timed
    // window) to three times the fastest rate measured so far, so a faster machine or build never empties it.
    const pool: string[] = [];
    const prepare = async (target: number) => {
      await Promise.all(
        Array.from({ length: SETUP_WORKERS }, async () => {
          while (pool.length < target) {
            const matched = await call('POST', '/advisory/engagements', investor.token, { productId, initiatedBy: 'investor' });
            await call('POST', `/advisory/engagements/${matched.engagementId}/risk-disclosure`, investor.token, {
              contentHash: disclosureHash,
            });
            await call('POST', `/advisory/engagements/${matched.engagementId}/contract`, investor.token, {});
            pool.push(matched.engagementId);
          }
        }),
      );
    };
    let prepared = 0;
    let fastestPurchaseRate = INITIAL_RATE;
    const topUp = async () => {
      const before = pool.length;
      await prepare(Math.ceil(3 * fastestPurchaseRate * SECONDS));
      prepared += pool.length - before;
    };

    const headers = { 'content-type': 'application/json', authorization: `Bearer ${investor.token}` };
    const me = () => load({ url: `${bench.url}/me`, headers, connections: CONNECTIONS, seconds: SECONDS });
    const check = () =>
      load({
        url: `${bench.url}/advisory/suitability-check`,
        method: 'POST',
        headers,
        body: JSON.stringify({ productId, initiatedBy: 'investor' }),
        connections: CONNECTIONS,
        seconds: SECONDS,
      });
    const purchase = () =>
      load({
        url: `${bench.url}/advisory/engagements/none/purchase`,
        method: 'POST',
        headers,
        body: '{}',
        connections: CONNECTIONS,
        seconds: SECONDS,
        setupRequest: (request) => {
          const engagementId = pool.pop();
          if (!engagementId) throw new Error('the contracted engagements ran out although the pool was three times the fastest rate seen');
          return {
            ...request,
            path: `/advisory/engagements/${engagementId}/purchase`,
            headers: { ...headers, 'idempotency-key': `bench-buy-${engagementId}` },
          };
        },
      });

    // Baseline and subject alternate (A B A B) so that the shared machine's load touches both alike.
    const rounds: { me: LoadResult[]; check: LoadResult[]; purchase: LoadResult[] } = { me: [], check: [], purchase: [] };
    for (let round = 0; round < ROUNDS; round++) {
      rounds.me.push(await me());
      rounds.check.push(await check());
      rounds.me.push(await me());
      await topUp();
      const bought = await purchase();
      fastestPurchaseRate = Math.max(fastestPurchaseRate, bought.requestsPerSecond);
      rounds.purchase.push(bought);
    }
    const mean = (results: LoadResult[]) => Math.round(results.reduce((sum, r) => sum + r.requestsPerSecond, 0) / results.length);
    const failures = [...rounds.check, ...rounds.purchase].reduce((sum, r) => sum + r.errors + r.non2xx, 0);
    if (failures > 0) throw new Error(`${failures} suitability-check or purchase requests failed`);
    const baseline = mean(rounds.me);
    return {
      connections: CONNECTIONS,
      meRequestsPerSecond: baseline,
      suitabilityCheckRequestsPerSecond: mean(rounds.check),
      suitabilityCheckP99Ms: Math.max(...rounds.check.map((r) => r.p99Ms)),
      purchaseRequestsPerSecond: mean(rounds.purchase),
      purchaseP99Ms: Math.max(...rounds.purchase.map((r) => r.p99Ms)),
      purchasesMade: prepared - pool.length,
      ratios: {
        suitability_check_vs_me: ratio(mean(rounds.check), baseline),
        purchase_vs_me: ratio(mean(rounds.purchase), baseline),
      },
    };
  } finally {
    await bench.close();
    await db.stop();
  }
}

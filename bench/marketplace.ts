/**
 * The marketplace under load, each against GET /me (a trivial authenticated route) on the same app, in interleaved
 * rounds: GET /me/entitlements (subscription streams read from the log and folded into entitlements) and
 * POST /subscriptions (idempotency claim, listing lookup, subscription and payment request in one transaction, the
 * idempotency record completed in it, read-your-writes wait; the sandbox provider's notifications then settle the
 * payments in the background, as in production).
 */
import { randomUUID } from 'node:crypto';
import { interleaved, ratio, startBenchApp, startBenchDatabase } from './support';

const WRITERS = 16;
const TOTAL_MS = 8_000;
const LISTINGS = 60;
const INVESTORS = 40;

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('marketplace');
  const bench = await startBenchApp(db.url, {
    PASSWORD_HASH_COST: '10',
    SUBSCRIPTION_JOB_INTERVAL_MS: '0',
    PAYMENTS_SANDBOX_DUPLICATE_RATE: '0.2',
  });
  try {
    const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${bench.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    const admin = (await call('POST', '/auth/login', undefined, { email: 'admin@example.com', password: 'bench-admin-password' }))
      .accessToken as string;
    let n = 0;
    const user = async (role?: string) => {
      const email = `bench${++n}-${randomUUID()}@example.com`;
      const registered = await call('POST', '/auth/register', undefined, {
        email,
        password: 'a-long-enough-password',
        displayName: `Bench ${n}`,
      });
      if (!role) return registered.accessToken as string;
      await call('POST', `/admin/users/${registered.userId}/roles`, admin, { role });
      return (await call('POST', '/auth/login', undefined, { email, password: 'a-long-enough-password' })).accessToken as string;
    };
    const pm = await user('product_manager');
    const compliance = await user('compliance_officer');
    const listings: string[] = [];
    for (let i = 0; i < LISTINGS; i++) {
      const { listingId } = await call('POST', '/catalog/listings', pm, {
        kind: 'level2_data',
        title: `Level-2 行情 ${i}`,
        description: '十档买卖盘口，逐笔成交',
        plans: [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }],
      });
      await call('POST', `/catalog/listings/${listingId}/submit`, pm);
      await call('POST', `/catalog/listings/${listingId}/approve`, compliance, { confirmedFamily: 'value_added' });
      await call('POST', `/catalog/listings/${listingId}/publish`, pm);
      listings.push(listingId);
    }
    // Each (investor, listing) pair is subscribed once: a live subscription per investor and product. The pairs are
    // made ahead for a machine of today's speed; a faster one that uses them up gets a new investor (one registration
    // for LISTINGS more pairs, counted inside the subscribe it delays, so the figure can only err low).
    const pairs: { token: string; listingId: string }[] = [];
    const addInvestor = async () => {
      const token = await user();
      pairs.push(...listings.map((listingId) => ({ token, listingId })));
    };
    await Promise.all(Array.from({ length: INVESTORS }, addInvestor));
    let topUp: Promise<void> | undefined;
    let investorsAdded = 0;
    const nextPair = async (): Promise<{ token: string; listingId: string }> => {
      for (;;) {
        const pair = pairs.pop();
        if (pair) return pair;
        topUp ??= addInvestor().finally(() => {
          topUp = undefined;
          investorsAdded++;
        });
        await topUp;
      }
    };
    // The reader holds exactly one subscription and takes no part in the subscribe load.
    const reader = await user();
    await call('POST', '/subscriptions', reader, { listingId: listings[0], planId: 'monthly' }, { 'idempotency-key': randomUUID() });
    await new Promise((done) => setTimeout(done, 500));

    const me = async () => {
      await call('GET', '/me', reader);
      return 1;
    };
    const entitlements = async () => {
      const result = await call('GET', '/me/entitlements', reader);
      if (result.entitlements.length !== 1) throw new Error(`expected one entitlement, got ${JSON.stringify(result)}`);
      return 1;
    };
    const subscribe = async () => {
      const pair = await nextPair();
      await call(
        'POST',
        '/subscriptions',
        pair.token,
        { listingId: pair.listingId, planId: 'monthly' },
        { 'idempotency-key': randomUUID() },
      );
      return 1;
    };

    const reads = await interleaved(WRITERS, TOTAL_MS, me, entitlements);
    const writes = await interleaved(WRITERS, TOTAL_MS, me, subscribe);
    return {
      connections: WRITERS,
      meRequestsPerSecond: Math.round((reads.baseline + writes.baseline) / 2),
      entitlementsRequestsPerSecond: reads.subject,
      subscribeRequestsPerSecond: writes.subject,
      investorsAddedDuringRun: investorsAdded,
      ratios: {
        entitlements_vs_me: ratio(reads.subject, reads.baseline),
        subscribe_vs_me: ratio(writes.subject, writes.baseline),
      },
    };
  } finally {
    await bench.close();
    await db.stop();
  }
}

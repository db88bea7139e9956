/**
 * The cluster through its load balancer (apps/cluster/src/topology.ts: a PostgreSQL 15 primary and streaming standby,
 * three API instances, HAProxy): subscribe throughput and p99 with three instances in rotation and with one, and with
 * synchronous replication (remote_apply) against asynchronous, in alternating rounds of one run. On a two-core machine
 * three instances are not faster; the figures show what the topology and the safety of synchronous replication cost.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Cluster, ensureEngines, prepareClusterDir } from '../apps/cluster/src/topology';
import { ratio } from './support';

const CONNECTIONS = 16;
const ROUND_MS = 4_000;
const ROUNDS = 2;
const LISTINGS = 20;
const ADMIN = { email: 'bench-admin@example.com', password: 'a bench admin passphrase' };

interface Figures {
  requestsPerSecond: number;
  p99Ms: number;
}

export async function run(): Promise<Record<string, unknown>> {
  ensureEngines(() => undefined);
  const dir = resolve('.data', `bench-cluster-${process.pid}`);
  prepareClusterDir(dir);
  // Every client is on this machine and registers many investors: the per-address limits and the production password
  // cost would be measured instead of the topology.
  Object.assign(process.env, {
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    AUTH_RATE_LIMIT: 'off',
    MONEY_RATE_LIMIT: 'off',
    PASSWORD_HASH_COST: '10',
  });
  const cluster = new Cluster({ dir, apiInstances: 3, basePort: 46_600, synchronous: false });
  try {
    await cluster.up();
    const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${cluster.balancerUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    };
    const login = async (email: string, password: string) =>
      (await call('POST', '/auth/login', undefined, { email, password })).accessToken as string;
    const admin = await login(ADMIN.email, ADMIN.password);
    const staff = async (role: string) => {
      const email = `bench-${role}-${randomUUID()}@example.com`;
      const registered = await call('POST', '/auth/register', undefined, { email, password: 'a-long-enough-password', displayName: role });
      await call('POST', `/admin/users/${registered.userId as string}/roles`, admin, { role });
      return login(email, 'a-long-enough-password');
    };
    const [pm, compliance] = [await staff('product_manager'), await staff('compliance_officer')];
    const listings: string[] = [];
    for (let i = 0; i < LISTINGS; i++) {
      const { listingId } = await call('POST', '/catalog/listings', pm, {
        kind: 'level2_data',
        title: `Level-2 行情 ${i}`,
        description: '十档买卖盘口，逐笔成交',
        plans: [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }],
      });
      for (const step of ['submit', 'approve', 'publish']) {
        await call(
          'POST',
          `/catalog/listings/${listingId as string}/${step}`,
          step === 'approve' ? compliance : pm,
          step === 'approve' ? { confirmedFamily: 'value_added' } : undefined,
        );
      }
      listings.push(listingId as string);
    }

    // Each (investor, listing) pair is subscribed once; a new investor is registered when they run out (counted in
    // the subscribe it delays, so the figure can only err low).
    const pairs: { token: string; listingId: string }[] = [];
    let topUp: Promise<void> | undefined;
    const addInvestor = async () => {
      const registered = await call('POST', '/auth/register', undefined, {
        email: `bench-${randomUUID()}@example.com`,
        password: 'a-long-enough-password',
        displayName: 'Bench',
      });
      pairs.push(...listings.map((listingId) => ({ token: registered.accessToken as string, listingId })));
    };
    const subscribe = async () => {
      let pair = pairs.pop();
      while (!pair) {
        topUp ??= addInvestor().finally(() => (topUp = undefined));
        await topUp;
        pair = pairs.pop();
      }
      await call(
        'POST',
        '/subscriptions',
        pair.token,
        { listingId: pair.listingId, planId: 'monthly' },
        { 'idempotency-key': randomUUID() },
      );
    };
    await Promise.all(Array.from({ length: 8 }, addInvestor));

    const measure = async (): Promise<Figures> => {
      const latencies: number[] = [];
      const started = Date.now();
      const deadline = started + ROUND_MS;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (Date.now() < deadline) {
            const sent = performance.now();
            await subscribe();
            latencies.push(performance.now() - sent);
          }
        }),
      );
      latencies.sort((a, b) => a - b);
      return {
        requestsPerSecond: Math.round(latencies.length / ((Date.now() - started) / 1000)),
        p99Ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      };
    };
    const rotation = async (instances: number) => {
      for (let instance = 1; instance < 3; instance++) {
        await cluster.balancerCommand(`${instance < instances ? 'enable' : 'disable'} server instances/api${instance}`);
      }
    };
    const settings = {
      async3: async () => {
        cluster.setSynchronous(false);
        await rotation(3);
      },
      async1: async () => {
        cluster.setSynchronous(false);
        await rotation(1);
      },
      sync3: async () => {
        cluster.setSynchronous(true);
        await rotation(3);
      },
    };
    const results: Record<keyof typeof settings, Figures[]> = { async3: [], async1: [], sync3: [] };
    await measure(); // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(settings) as (keyof typeof settings)[]) {
        await settings[name]();
        results[name].push(await measure());
      }
    }
    const mean = (figures: Figures[]) => ({
      requestsPerSecond: Math.round(figures.reduce((sum, f) => sum + f.requestsPerSecond, 0) / figures.length),
      p99Ms: Math.max(...figures.map((f) => f.p99Ms)),
    });
    const [async3, async1, sync3] = [mean(results.async3), mean(results.async1), mean(results.sync3)];
    return {
      connections: CONNECTIONS,
      subscribeThreeInstancesAsync: async3,
      subscribeOneInstanceAsync: async1,
      subscribeThreeInstancesSync: sync3,
      ratios: {
        three_vs_one_instance: ratio(async3.requestsPerSecond, async1.requestsPerSecond),
        synchronous_vs_asynchronous: ratio(sync3.requestsPerSecond, async3.requestsPerSecond),
      },
    };
  } finally {
    await cluster.down();
    rmSync(dir, { recursive: true, force: true });
  }
}

import autocannon from 'autocannon';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { JsonLogger, RunningPostgres, ensureDatabase, loadConfig, runMigrations, startEmbeddedPostgres } from '@app/platform';
import { createApp } from '../apps/api/src/app.factory';

/** Shared pieces of the benchmarks: a real PostgreSQL, the real app on a free port, and an HTTP load generator. */
const anyPort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

const portFree = (port: number) =>
  new Promise<boolean>((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });

const handedOut = new Set<number>();

/**
 * A free port: any, or with `BENCH_PORTS=<from>-<to>` (a machine shared by several people, each with a range) the
 * first free one of that range not handed out already in this run.
 */
export const freePort = async (): Promise<number> => {
  const range = /^(\d+)-(\d+)$/.exec(process.env.BENCH_PORTS ?? '');
  if (!range) return anyPort();
  for (let port = Number(range[1]); port <= Number(range[2]); port++) {
    if (handedOut.has(port) || !(await portFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port in BENCH_PORTS=${process.env.BENCH_PORTS}`);
};

export interface BenchDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL's server when set, else a throwaway embedded PostgreSQL with default (durable) settings, on
 * BENCH_PG_PORT when set (a shared machine's allotted port range), else on any free port.
 */
export const startBenchDatabase = async (name: string): Promise<BenchDatabase> => {
  let server: RunningPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    server = await startEmbeddedPostgres({
      dataDir: resolve('.data', `bench-pg-${process.pid}`),
      port: process.env.BENCH_PG_PORT ? Number(process.env.BENCH_PG_PORT) : await freePort(),
      ephemeral: true,
    });
    serverUrl = server.url;
  }
  const url = await ensureDatabase(serverUrl, `bench_${name}_${process.pid}`);
  await runMigrations(url);
  return { url, stop: async () => server?.stop() };
};

export interface BenchApp {
  readonly app: INestApplication;
  readonly url: string;
  close(): Promise<void>;
}

export const startBenchApp = async (databaseUrl: string, env: Record<string, string> = {}): Promise<BenchApp> => {
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: '.data/bench',
    JWT_SECRET: 'bench-secret-that-is-at-least-32-characters-long',
    PASSWORD_HASH_COST: '14',
    LOG_LEVEL: 'error',
    BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
    BOOTSTRAP_ADMIN_PASSWORD: 'bench-admin-password',
    PORT: String(port),
    // Many users from one address, and one investor buying thousands of times: limits that never trip, still counted.
    AUTH_RATE_LIMIT: '100000/60',
    MONEY_RATE_LIMIT: '100000/60',
    PASSWORD_HASH_QUEUE: '64',
    ...env,
  });
  const app = await createApp({ config, databaseUrl, logger: new JsonLogger('error') });
  await app.listen(port, '127.0.0.1');
  return { app, url: `http://127.0.0.1:${port}`, close: () => app.close() };
};

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  /** A fixed body, or one built per request (for unique idempotency keys and ids). */
  readonly body?: string;
  readonly setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
  readonly connections?: number;
  readonly seconds?: number;
}

export const load = async (options: LoadOptions): Promise<LoadResult> => {
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections: options.connections ?? 32,
    duration: options.seconds ?? 5,
    ...(options.setupRequest ? { requests: [{ setupRequest: options.setupRequest as never }] } : {}),
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
};

export const ratio = (subject: number, baseline: number) => Math.round((subject / baseline) * 1000) / 1000;

/** Runs `work` with `writers` concurrent loops for `ms` milliseconds; returns operations per second. */
export const concurrently = async (writers: number, ms: number, work: (writer: number) => Promise<number>): Promise<number> => {
  const deadline = Date.now() + ms;
  const started = Date.now();
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let done = 0;
      while (Date.now() < deadline) done += await work(writer);
      return done;
    }),
  );
  return Math.round(counts.reduce((sum, count) => sum + count, 0) / ((Date.now() - started) / 1000));
};

/**
 * Baseline and subject in alternating rounds (A B A B …), so that a change in the machine's load during the run
 * touches both alike. Returns operations per second of each over all its rounds.
 */
export const interleaved = async (
  writers: number,
  totalMs: number,
  baseline: (writer: number) => Promise<number>,
  subject: (writer: number) => Promise<number>,
  rounds = 4,
): Promise<{ baseline: number; subject: number }> => {
  const sliceMs = totalMs / rounds;
  let baselineOps = 0;
  let subjectOps = 0;
  for (let round = 0; round < rounds; round++) {
    baselineOps += await concurrently(writers, sliceMs, baseline);
    subjectOps += await concurrently(writers, sliceMs, subject);
  }
  return { baseline: Math.round(baselineOps / rounds), subject: Math.round(subjectOps / rounds) };
};

/** An HTTP call of a bench: method, path, bearer token, JSON body; the parsed answer. */
export type BenchCall = (method: string, path: string, token?: string, body?: unknown) => Promise<unknown>;

/**
 * The benches' advisory product: an R3 stock-picking strategy (medium horizon, A-shares, one registered advisor)
 * drafted by the product manager, approved as advisory by compliance and published, all through the API; its id.
 */
export const publishAdvisoryListing = async (
  call: BenchCall,
  staff: { readonly pmToken: string; readonly complianceToken: string; readonly advisorId: string },
): Promise<string> => {
  const listing = (await call('POST', '/catalog/listings', staff.pmToken, {
    kind: 'stock_picking_strategy',
    title: '价值精选组合',
    description: '基于基本面研究的组合策略。投资有风险，入市需谨慎。',
    plans: [{ planId: 'quarterly', name: '季度', priceMinor: 98000, currency: 'CNY', billingPeriod: 'quarter' }],
    advisory: {
      riskLevel: 'R3',
      riskFactors: { liquidity: 2, principalLoss: 3, complexity: 3, leverage: 1 },
      horizon: 'medium',
      varieties: ['a_shares'],
      advisors: [{ advisorId: staff.advisorId, name: '李明', sacRegistrationCode: 'S0260611080001' }],
      feeBasis: 'fixed_subscription',
      riskDisclosureVersion: 'RD-2025.1',
      contractVersion: 'AC-2025.1',
    },
  })) as { listingId: string };
  await call('POST', `/catalog/listings/${listing.listingId}/submit`, staff.pmToken);
  await call('POST', `/catalog/listings/${listing.listingId}/approve`, staff.complianceToken, { confirmedFamily: 'advisory' });
  await call('POST', `/catalog/listings/${listing.listingId}/publish`, staff.pmToken);
  return listing.listingId;
};

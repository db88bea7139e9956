import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Pool } from 'pg';
import { JsonLogger, ProjectionRunner, loadConfig } from '@app/platform';
import { createApp } from '../apps/api/src/app.factory';
import { createTestDatabase, TestDatabase } from './support/db';
import { freePort } from './support/free-port';

/**
 * `kill -9` of the API while it is charging under a mixed load (subscriptions and tips, some declined), then a restart:
 * within 30 s no payment is left requested or authorised, every write answered 2xx is there, every subscription and
 * tip follows its payment, and the read models equal a rebuild from the log. The API runs as a child process
 * (`apps/api/src/main.ts` through ts-node), on this run's PostgreSQL.
 */
const ROOT = resolve(__dirname, '..');
const ADMIN = { email: 'admin@example.com', password: 'crash-test-admin-password' };
const SETTLE_WITHIN_MS = 30_000;
const LISTINGS = 4;
const INVESTORS = 16;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Api {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: string[];
}

describe('crash: kill -9 under load, restart, every payment settles (child process)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const running: ChildProcess[] = [];
  const env: Record<string, string> = {
    JWT_SECRET: randomBytes(32).toString('base64'),
    PII_MASTER_KEY: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
    PAYMENTS_SANDBOX_SECRET: randomBytes(32).toString('base64'),
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    PASSWORD_HASH_COST: '10',
    LOG_LEVEL: 'error',
    DATA_DIR: resolve(ROOT, '.data', `crash-${process.pid}`),
    // Slow answers from the provider keep many charges in flight when the process dies.
    PAYMENTS_SANDBOX_MAX_DELAY_MS: '400',
    PAYMENTS_REDRIVE_AFTER_MS: '2000',
    PAYMENTS_REDRIVE_INTERVAL_MS: '500',
    SUBSCRIPTION_JOB_INTERVAL_MS: '0',
    TIP_MIN_MINOR: '100',
    TIP_DAILY_CAP_MINOR: '100000000',
  };

  const start = async (): Promise<Api> => {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'apps/api/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(child);
    child.stdout?.on('data', (chunk) => output.push(String(chunk)));
    child.stderr?.on('data', (chunk) => output.push(String(chunk)));
    const url = `http://127.0.0.1:${port}`;
    // Generous: ts-node transpiles the whole API at each start, and these machines are shared.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}: ${output.join('')}`);
      const up = await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) return { child, url, output };
      await sleep(200);
    }
    throw new Error(`the API did not start: ${output.join('')}`);
  };

  const call = async (api: Api, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const ok = async (pending: ReturnType<typeof call>, expected: number) => {
    const { status, body } = await pending;
    if (status !== expected) throw new Error(`expected ${expected}, got ${status}: ${JSON.stringify(body)}`);
    return body;
  };

  const unsettledInLog = async () =>
    Number(
      (
        await pool.query(
          `SELECT count(*)::int AS n FROM events r WHERE r.type = 'payments.PaymentRequested'
             AND NOT EXISTS (SELECT 1 FROM events o WHERE o.stream_id = r.stream_id AND o.type IN ('payments.PaymentCaptured', 'payments.PaymentFailed'))`,
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await pool.end();
    await db.drop();
  });

  it('after kill -9 mid-charge and a restart, every payment reaches captured or failed within 30 s and everything follows it', async () => {
    const first = await start();

    // The catalog and the people, through the API.
    const admin = (await ok(call(first, 'POST', '/auth/login', undefined, ADMIN), 200)).accessToken as string;
    const registerAs = async (role: string | undefined, extra: Record<string, unknown> = {}) => {
      const email = `${role ?? 'investor'}-${randomUUID()}@example.com`;
      const registered = await ok(
        call(first, 'POST', '/auth/register', undefined, {
          email,
          password: 'a-long-enough-password',
          displayName: 'Crash Test',
          ...extra,
        }),
        201,
      );
      if (!role) return registered.accessToken as string;
      await ok(call(first, 'POST', `/admin/users/${registered.userId}/roles`, admin, { role }), 204);
      return (await ok(call(first, 'POST', '/auth/login', undefined, { email, password: 'a-long-enough-password' }), 200))
        .accessToken as string;
    };
    const pm = await registerAs('product_manager');
    const compliance = await registerAs('compliance_officer');
    const publish = async (body: Record<string, unknown>) => {
      const { listingId } = await ok(call(first, 'POST', '/catalog/listings', pm, body), 201);
      await ok(call(first, 'POST', `/catalog/listings/${listingId}/submit`, pm), 200);
      await ok(call(first, 'POST', `/catalog/listings/${listingId}/approve`, compliance, { confirmedFamily: 'value_added' }), 200);
      await ok(call(first, 'POST', `/catalog/listings/${listingId}/publish`, pm), 200);
      return listingId as string;
    };
    const plans = [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }];
    const listings: string[] = [];
    for (let i = 0; i < LISTINGS; i++)
      listings.push(
        await publish({ kind: 'level2_data', title: `Level-2 十档行情 ${i}`, description: '十档买卖盘口与逐笔成交，实时推送', plans }),
      );
    const target = await publish({
      kind: 'live_stream_tipping_target',
      title: '每晚直播复盘',
      description: '十档买卖盘口与逐笔成交，实时推送',
      plans: [{ planId: 'free', name: '免费', priceMinor: 0, currency: 'CNY', billingPeriod: 'one_off' }],
    });
    const investors = await Promise.all(Array.from({ length: INVESTORS }, () => registerAs(undefined, { dateOfBirth: '1990-05-01' })));

    // Mixed load: each investor subscribes to every listing once and tips (some with a card that is declined).
    const subscriptions: { subscriptionId: string; paymentId: string }[] = [];
    const tips: { tipId: string; paymentId: string; declined: boolean }[] = [];
    const pairs = investors.flatMap((token) => listings.map((listingId) => ({ token, listingId })));
    let stop = false;
    let sent = 0;
    const worker = async (index: number) => {
      for (let round = 0; !stop; round++) {
        const pair = pairs.pop();
        try {
          if (pair && round % 2 === 0) {
            const answer = await call(
              first,
              'POST',
              '/subscriptions',
              pair.token,
              { listingId: pair.listingId, planId: 'monthly' },
              { 'Idempotency-Key': randomUUID() },
            );
            if (answer.status === 201) subscriptions.push(answer.body);
          } else {
            const declined = (index + round) % 7 === 0;
            const token = investors[(index + round) % investors.length];
            const body = {
              targetListingId: target,
              amountMinor: 100,
              currency: 'CNY',
              paymentMethod: declined ? 'sandbox_decline' : 'sandbox_ok',
            };
            const answer = await call(first, 'POST', '/tips', token, body, { 'Idempotency-Key': randomUUID() });
            if (answer.status === 201) tips.push({ ...answer.body, declined });
          }
          sent++;
        } catch {
          // The process was killed under this request: it was never acknowledged.
          if (pair) pairs.push(pair);
          return;
        }
      }
    };
    const workers = Array.from({ length: 12 }, (_, index) => worker(index));
    const loadUntil = Date.now() + 20_000;
    while (subscriptions.length + tips.length < 120 && sent < 400 && Date.now() < loadUntil) await sleep(20);
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await new Promise((done) =>
      first.child.exitCode !== null || first.child.signalCode !== null ? done(undefined) : first.child.once('exit', done),
    );

    const acknowledged = subscriptions.length + tips.length;
    expect(acknowledged).toBeGreaterThan(50);
    // The crash left charges in flight (else this test would prove nothing).
    expect(await unsettledInLog()).toBeGreaterThan(0);

    const second = await start();
    const restarted = Date.now();
    while ((await unsettledInLog()) > 0 && Date.now() - restarted < SETTLE_WITHIN_MS) await sleep(250);
    expect(await unsettledInLog()).toBe(0);
    // The read models catch up with the settlements (they follow the log, and the requests read them).
    const behind = async () =>
      (await pool.query(`SELECT count(*)::int AS n FROM payments_view WHERE status IN ('requested', 'authorised')`)).rows[0].n as number;
    while ((await behind()) > 0 && Date.now() - restarted < SETTLE_WITHIN_MS) await sleep(100);
    expect(Date.now() - restarted).toBeLessThan(SETTLE_WITHIN_MS);
    expect(await behind()).toBe(0);
    const outbox = (await pool.query('SELECT count(*)::int AS n FROM payments_outbox')).rows[0].n;
    expect(outbox).toBe(0);

    // Every acknowledged write is there, and follows its payment.
    const payments = new Map(
      (await pool.query<{ payment_id: string; status: string }>('SELECT payment_id, status FROM payments_view')).rows.map((row) => [
        row.payment_id,
        row.status,
      ]),
    );
    const subscriptionRows = new Map(
      (
        await pool.query<{ subscription_id: string; status: string; last_payment_id: string | null }>(
          'SELECT subscription_id, status, last_payment_id FROM va_subscriptions',
        )
      ).rows.map((row) => [row.subscription_id, row]),
    );
    const tipRows = new Map(
      (await pool.query<{ tip_id: string; status: string; payment_id: string }>('SELECT tip_id, status, payment_id FROM va_tips')).rows.map(
        (row) => [row.tip_id, row],
      ),
    );
    for (const { subscriptionId, paymentId } of subscriptions) {
      expect({ subscriptionId, payment: payments.get(paymentId), subscription: subscriptionRows.get(subscriptionId)?.status }).toEqual({
        subscriptionId,
        payment: 'captured',
        subscription: 'active',
      });
    }
    for (const { tipId, paymentId, declined } of tips) {
      expect({ tipId, payment: payments.get(paymentId), tip: tipRows.get(tipId)?.status }).toEqual({
        tipId,
        payment: declined ? 'failed' : 'captured',
        tip: declined ? 'failed' : 'paid',
      });
    }
    // Also what committed without an answer reaching the client: nothing is left pending.
    for (const row of subscriptionRows.values())
      expect({ id: row.subscription_id, status: row.status }).toEqual({ id: row.subscription_id, status: 'active' });
    for (const row of tipRows.values())
      expect({ id: row.tip_id, status: row.status }).toEqual({
        id: row.tip_id,
        status: payments.get(row.payment_id) === 'captured' ? 'paid' : 'failed',
      });

    // Stopped, the read models equal a rebuild from the log.
    second.child.kill('SIGTERM');
    await new Promise((done) =>
      second.child.exitCode !== null || second.child.signalCode !== null ? done(undefined) : second.child.once('exit', done),
    );
    const config = loadConfig({ ...env, PROJECTIONS_DISABLED: 'true', PAYMENTS_REDRIVE_INTERVAL_MS: '0', AUDIT_SEALER_DISABLED: 'true' });
    const app = await createApp({ config, databaseUrl: db.url, logger: new JsonLogger('error') });
    await app.init();
    try {
      const snapshot = async () => {
        const tables: Record<string, unknown[]> = {};
        for (const [table, id] of [
          ['payments_view', 'payment_id'],
          ['payments_outbox', 'outbox_id'],
          ['va_subscriptions', 'subscription_id'],
          ['va_tips', 'tip_id'],
          ['catalog_listings', 'listing_id'],
        ]) {
          tables[table] = (await pool.query(`SELECT * FROM ${table} ORDER BY ${id}`)).rows;
        }
        return tables;
      };
      const before = await snapshot();
      await app.get(ProjectionRunner).rebuild(['catalog.listings', 'payments.payments', 'payments.outbox', 'value-added.read-models']);
      expect(await snapshot()).toEqual(before);
    } finally {
      await app.close();
    }
  }, 240_000);
});

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { Cluster } from './topology';

/**
 * The failure drill: mixed load through the balancer while the cluster loses, in turn, the API instance doing the
 * background work (projections, sealer), another API instance, and the PostgreSQL primary (with synchronous
 * replication on, the standby is promoted). Afterwards every write that was acknowledged must be in the log, no
 * payment captured twice, read models equal a rebuild and `audit:verify` pass. Prints the takeover times.
 */
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Acknowledged {
  readonly users: string[];
  readonly subscriptions: string[];
}

const ADMIN = { email: 'drill-admin@example.com', password: 'a drill admin passphrase' };

export const runFailoverDrill = async (cluster: Cluster, log: (line: string) => void): Promise<Record<string, unknown>> => {
  const base = cluster.balancerUrl;
  const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const must = async (method: string, path: string, token?: string, body?: unknown) => {
    const answer = await call(method, path, token, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const tokenOf = async (email: string, password: string) =>
    (await must('POST', '/auth/login', undefined, { email, password })).accessToken as string;
  const staff = async (role: string, admin: string) => {
    const email = `drill-${role}-${randomUUID()}@example.com`;
    const registered = await must('POST', '/auth/register', undefined, { email, password: 'a-long-enough-password', displayName: role });
    await must('POST', `/admin/users/${registered.userId as string}/roles`, admin, { role });
    return tokenOf(email, 'a-long-enough-password');
  };

  const admin = await tokenOf(ADMIN.email, ADMIN.password);
  const [pm, compliance] = [await staff('product_manager', admin), await staff('compliance_officer', admin)];
  const listings: string[] = [];
  for (let i = 0; i < 8; i++) {
    const { listingId } = await must('POST', '/catalog/listings', pm, {
      kind: 'level2_data',
      title: `Level-2 行情 ${i}`,
      description: '十档买卖盘口，逐笔成交',
      plans: [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month' }],
    });
    await must('POST', `/catalog/listings/${listingId as string}/submit`, pm);
    await must('POST', `/catalog/listings/${listingId as string}/approve`, compliance, { confirmedFamily: 'value_added' });
    await must('POST', `/catalog/listings/${listingId as string}/publish`, pm);
    listings.push(listingId as string);
  }

  // The load: each client registers, then subscribes to the listings one by one. A request that fails for want of a
  // server (the balancer answers 502/503, or the connection drops) is retried with the same Idempotency-Key, as a
  // client should; only answers in the 2xx range count as acknowledged.
  const acknowledged: Acknowledged = { users: [], subscriptions: [] };
  const outcomes = new Map<number, number>();
  let running = true;
  type Answer = { status: number; body: Record<string, unknown> };
  const retrying = async (send: () => Promise<Answer>): Promise<Answer | undefined> => {
    for (let attempt = 0; running || attempt === 0; attempt++) {
      const answer = await send().catch((): Answer => ({ status: 0, body: {} }));
      outcomes.set(answer.status, (outcomes.get(answer.status) ?? 0) + 1);
      if (answer.status !== 0 && answer.status < 500) return answer;
      await sleep(200);
    }
    return undefined;
  };
  const client = async () => {
    while (running) {
      const email = `drill-${randomUUID()}@example.com`;
      const registered = await retrying(() =>
        call(
          'POST',
          '/auth/register',
          undefined,
          { email, password: 'a-long-enough-password', displayName: 'Drill' },
          { 'idempotency-key': randomUUID() },
        ),
      );
      if (!registered || registered.status >= 300) continue;
      acknowledged.users.push(registered.body.userId as string);
      const token = registered.body.accessToken as string;
      for (const listingId of listings) {
        if (!running) return;
        const key = randomUUID();
        const subscribed = await retrying(() =>
          call('POST', '/subscriptions', token, { listingId, planId: 'monthly' }, { 'idempotency-key': key }),
        );
        if (subscribed && subscribed.status < 300) acknowledged.subscriptions.push(subscribed.body.subscriptionId as string);
      }
    }
  };
  const clients = Array.from({ length: 8 }, client);

  const workerInstance = async (exclude: number[] = []): Promise<number> => {
    for (let tries = 0; tries < 400; tries++) {
      const holder = cluster
        .sql(
          cluster.primary,
          'marketplace',
          "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND a.application_name LIKE 'api-%' LIMIT 1",
        )
        .replace('api-', '');
      if (holder !== '' && !exclude.includes(Number(holder))) return Number(holder);
      await sleep(25);
    }
    throw new Error('no API instance was seen holding a worker lock');
  };
  /** Time from now until an instance other than `dead` has taken a worker lock (background work resumed). */
  const takeover = async (dead: number) => {
    const started = Date.now();
    const next = await workerInstance([dead]);
    return { next, ms: Date.now() - started };
  };

  await sleep(5_000);
  const first = await workerInstance();
  log(`killing API instance ${first} (seen holding a worker lock) with SIGKILL`);
  cluster.apis.get(first)?.kill('SIGKILL');
  const firstTakeover = await takeover(first);
  log(`background work resumed on instance ${firstTakeover.next} after ${firstTakeover.ms} ms`);
  await sleep(3_000);
  const second = [...cluster.apis.keys()].find((instance) => instance !== first) ?? firstTakeover.next;
  log(`killing API instance ${second} with SIGKILL`);
  cluster.apis.get(second)?.kill('SIGKILL');
  await sleep(3_000);
  log('restarting the killed instances');
  await Promise.all([cluster.startApi(first), cluster.startApi(second)]);
  await sleep(3_000);

  log('killing the primary PostgreSQL with SIGKILL, then promoting the standby');
  const killedAt = Date.now();
  cluster.killPrimary();
  await cluster.promoteStandby();
  const promotedMs = Date.now() - killedAt;
  let firstWriteMs: number | undefined;
  const before = acknowledged.subscriptions.length + acknowledged.users.length;
  while (firstWriteMs === undefined && Date.now() - killedAt < 60_000) {
    if (acknowledged.subscriptions.length + acknowledged.users.length > before) firstWriteMs = Date.now() - killedAt;
    await sleep(50);
  }
  log(`standby promoted after ${promotedMs} ms; first acknowledged write after ${firstWriteMs ?? 'none within 60 s'} ms`);
  await sleep(5_000);
  running = false;
  await Promise.all(clients);

  // Checks, on the new primary.
  const primary = cluster.standby;
  const count = (statement: string) => Number(cluster.sql(primary, 'marketplace', statement));
  const missing = (ids: string[], acknowledgedBy: string) =>
    ids.length === 0 ? 0 : count(`SELECT count(*) FROM unnest(ARRAY['${ids.join("','")}']) AS id WHERE id NOT IN (${acknowledgedBy})`);
  const missingUsers = missing(acknowledged.users, "SELECT substr(stream_id, 6) FROM events WHERE stream_id LIKE 'user-%'");
  const missingSubscriptions = missing(
    acknowledged.subscriptions,
    "SELECT data->>'subscriptionId' FROM events WHERE type IN ('value-added.SubscriptionRequested', 'value-added.TrialStarted')",
  );
  const capturedTwice = count(
    "SELECT count(*) FROM (SELECT stream_id FROM events WHERE type = 'payments.PaymentCaptured' GROUP BY stream_id HAVING count(*) > 1) AS twice",
  );
  const unsettled = count(
    "SELECT count(*) FROM (SELECT stream_id FROM events WHERE stream_id LIKE 'payments.payment-%' GROUP BY stream_id HAVING NOT bool_or(type IN ('payments.PaymentCaptured', 'payments.PaymentFailed'))) AS open",
  );

  const cli = (...args: string[]) =>
    execFileSync(process.execPath, [resolve(__dirname, '../../cli/src/main.js'), ...args], {
      encoding: 'utf8',
      env: { ...cluster.apiEnvironment(0), DATABASE_URL: cluster.databaseUrl('writer'), LOG_LEVEL: 'error' },
    });
  const readModels = cluster.sql(primary, 'marketplace', fingerprintSql).split('\n');
  cli('projections:rebuild');
  const rebuilt = cluster.sql(primary, 'marketplace', fingerprintSql).split('\n');
  const differing = rebuilt.filter((line) => !readModels.includes(line)).map((line) => line.split('|')[0]);
  let verified: string;
  try {
    verified =
      cli('audit:verify')
        .split('\n')
        .find((line) => line.startsWith('OK')) ?? 'no verdict';
  } catch (error) {
    verified = `FAILED: ${(error as { stdout?: string }).stdout ?? String(error)}`;
  }
  return {
    acknowledgedUsers: acknowledged.users.length,
    acknowledgedSubscriptions: acknowledged.subscriptions.length,
    answers: Object.fromEntries([...outcomes.entries()].sort(([a], [b]) => a - b)),
    missingUsers,
    missingSubscriptions,
    paymentsCapturedTwice: capturedTwice,
    paymentsNotFinal: unsettled,
    readModelsEqualRebuild: differing.length === 0,
    readModelsDifferingFromRebuild: differing,
    auditVerify: verified,
    takeoverMs: { workerAfterKill: firstTakeover.ms, promotion: promotedMs, firstWriteAfterPrimaryLoss: firstWriteMs ?? null },
  };
};

/** A digest of each read-model table (every table but the log, the audit tree and bookkeeping), row order fixed. */
const fingerprintSql = `
SELECT name, digest FROM (
  SELECT c.relname AS name,
         (xpath('/row/d/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS d FROM %I AS t', ',', '', c.relname), false, true, '')))[1]::text AS digest
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    AND c.relname NOT IN ('events', 'migrations', 'subscription_checkpoints', 'idempotency_keys', 'throttle_counters')
    AND c.relname NOT LIKE 'audit_%'
) AS tables ORDER BY name`;

export const drillAdmin = ADMIN;

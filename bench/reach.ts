import { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Answers, contentHash, currentDocument, nationalIdCheckChar, RQ_2025_1 } from '@app/advisory';
import { AdjustableClock, systemContext, uuidv7 } from '@app/common';
import { JsonLogger, loadConfig, ProjectionRunner } from '@app/platform';
import { CampaignRunner, CreateCampaignCommand, inControlGroup } from '@app/reach';
import { createApp } from '../apps/api/src/app.factory';
import { freePort, publishAdvisoryListing, ratio, startBenchDatabase } from './support';

/**
 * A campaign's fan-out to BENCH_REACH_INVESTORS (default 1M) investors through the real runner: the segment paged from
 * the growth context's AudienceQuery, the control group held out, consent (G1) checked against the consents read
 * model, and every batch's recipients decided on their cap counters (G2) and appended as one `reach.BatchSent` with the
 * batch checkpoint by one statement per batch (the counters raised in its transaction), REACH_FANOUT_AHEAD batches
 * prepared ahead (BENCH_REACH_AHEAD, default 4). The figure is recipients decided per second (sent, withheld, held
 * out or refused), against the 10k/s target. BENCH_REACH_INVESTORS sets the scale, BENCH_REACH_BATCH the batch size;
 * BENCH_PG_PORT the embedded PostgreSQL's port.
 *
 * Seeded straight into the read models the fan-out reads (growth_investors, reach_consents): they are what the
 * projections would hold after the investors registered and opted in, and 1M registrations through the API would take
 * the bench an hour. The projections run as in production (BENCH_REACH_PROJECTIONS=off turns them off, but then the
 * campaign's start and completion each wait out the read-your-writes timeout), and the run ends when the completion
 * is in the read models: the figure includes the reach projection keeping up with the messages.
 *
 * BENCH_REACH_PRODUCT selects what the campaign is about: `none` (the default; the figures above) or `advisory`, a
 * campaign whose template names a published advisory product (R3, medium horizon, A-shares). Then every recipient who
 * passes consent also costs a matching-opinion read (G3: the investor's and the product's streams) and, when the opinion
 * allows the message, a contact appended to the investor's advisory stream (G4), ADVISORY_CHECKS_IN_PARALLEL at a time
 * per page. The app listens on a free port (BENCH_PORTS) and the setup goes through its API as the product team and the
 * investors would: staff registered and given their roles, the listing drafted, approved by compliance and published,
 * and BENCH_REACH_ASSESSED investors (default 3,000, included in BENCH_REACH_INVESTORS) registered, with an advisory
 * account opened under a real name, the risk questionnaire answered and confirmed, and 90% of them opted in to in-app
 * messages, BENCH_REACH_SETUP_WORKERS (default 8) at a time. Their risk profiles are mixed (every 20: C1 ×2, C2 ×4,
 * C3 ×5, C4 ×4, C5 ×1, C4 with a short horizon ×2, the lowest category ×1, an account never assessed ×1), so G3 lets
 * half of them through and refuses the rest by rule. The others of the segment are seeded into the read models as
 * above, with ids of the API's shape (UUIDv7) spread over the time the registrations took, so that the assessed
 * investors are spread over the segment's pages instead of filling the first ones; having no advisory account, they
 * are refused by G3 (REACH.NO_MATCHING_OPINION) after its read of their empty stream. The staff's own users are in the
 * segment too (all investors), without consent. The result gives the setup through the API and the read models' seed
 * apart from the fan-out, the refusals by code, the contacts recorded for the campaign (counted in the log), and checks
 * that every member of the segment was decided once, that exactly the expected assessed investors got the message, that
 * each G3 refusal code counts the profiles it should, and that every recipient's contact was recorded once: the run
 * fails otherwise.
 */
const INVESTORS = Number(process.env.BENCH_REACH_INVESTORS ?? 1_000_000);
const PRODUCT = process.env.BENCH_REACH_PRODUCT ?? 'none';
const ASSESSED = Number(process.env.BENCH_REACH_ASSESSED ?? 3_000);
const SETUP_WORKERS = Number(process.env.BENCH_REACH_SETUP_WORKERS ?? 8);
const CONSENT_SHARE = 0.9;
const CONTROL_PERCENT = 10;
const TARGET_PER_SECOND = 10_000;

/** Seeded investor ids, from `i` of generate_series(1, $1): the default bench's, and ids of the API's shape (UUIDv7). */
const SEQUENTIAL_IDS = `'inv-' || lpad(i::text, 8, '0')`;
/** UUIDv7 ids whose milliseconds run evenly from $2 to $3 over i = 1..$1 (the random part from md5(i)). */
const SPREAD_IDS = `(SELECT substr(t, 1, 8) || '-' || substr(t, 9, 4) || '-7' || substr(r, 1, 3) || '-8' || substr(r, 4, 3) || '-' || substr(r, 7, 12)
    FROM (SELECT lpad(to_hex($2::bigint + ((i - 1) * ($3::bigint - $2::bigint + 1)) / $1::bigint), 12, '0') AS t, md5(i::text) AS r) AS parts)`;

/** `count` investors into the segment's and the consents' read models, CONSENT_SHARE of them opted in to in-app messages. */
const seedReadModels = async (data: DataSource, count: number, ids: string, idParams: unknown[] = []): Promise<void> => {
  await data.query(
    `INSERT INTO growth_investors (investor_id, registered_at) SELECT ${ids}, '2026-01-01T00:00:00Z' FROM generate_series(1, $1) AS i`,
    [count, ...idParams],
  );
  await data.query(
    `INSERT INTO reach_consents (investor_id, channel, granted, via, updated_at)
     SELECT ${ids}, 'in_app', true, 'settings', '2026-06-01T00:00:00Z' FROM generate_series(1, $1) AS i WHERE i % 10 < $${idParams.length + 2}`,
    [count, ...idParams, Math.round(CONSENT_SHARE * 10)],
  );
  await data.query('ANALYZE growth_investors; ANALYZE reach_consents');
};

export async function run(): Promise<Record<string, unknown>> {
  if (PRODUCT !== 'none' && PRODUCT !== 'advisory') throw new Error(`BENCH_REACH_PRODUCT=${PRODUCT}: expected none or advisory`);
  const advisory = PRODUCT === 'advisory';
  if (advisory && !(Number.isInteger(ASSESSED) && ASSESSED >= 0 && ASSESSED <= INVESTORS))
    throw new Error(`BENCH_REACH_ASSESSED=${ASSESSED}: expected an integer from 0 to BENCH_REACH_INVESTORS (${INVESTORS})`);
  if (advisory && !(Number.isInteger(SETUP_WORKERS) && SETUP_WORKERS >= 1))
    throw new Error(`BENCH_REACH_SETUP_WORKERS=${SETUP_WORKERS}: expected a positive integer`);
  const clock = new AdjustableClock();
  // 10:00 in Beijing, outside quiet hours (G2), whenever the bench runs.
  clock.set(new Date('2026-12-02T02:00:00.000Z'));
  const port = advisory ? await freePort() : 0;
  const config = loadConfig({
    DATA_DIR: '.data/bench',
    JWT_SECRET: 'bench-secret-that-is-at-least-32-characters-long',
    LOG_LEVEL: 'error',
    PROJECTIONS_DISABLED: process.env.BENCH_REACH_PROJECTIONS === 'off' ? 'true' : 'false',
    REACH_TICK_MS: '0',
    REACH_BATCH_SIZE: process.env.BENCH_REACH_BATCH ?? '1000',
    REACH_FANOUT_AHEAD: process.env.BENCH_REACH_AHEAD ?? '4',
    ...(advisory
      ? {
          PORT: String(port),
          BOOTSTRAP_ADMIN_EMAIL: 'admin@example.com',
          BOOTSTRAP_ADMIN_PASSWORD: 'bench-admin-password',
          // Thousands of registrations from one address; the hash at its cheapest (the setup is not what is measured).
          AUTH_RATE_LIMIT: 'off',
          PASSWORD_HASH_COST: '10',
          PASSWORD_HASH_QUEUE: '64',
        }
      : {}),
  });
  const db = await startBenchDatabase('reach');
  let app: INestApplication | undefined;
  try {
    app = await createApp({ config, databaseUrl: db.url, clock, logger: new JsonLogger('error') });
    if (advisory) await app.listen(port, '127.0.0.1');
    else await app.init();
    return advisory ? await advisoryCampaign(app, clock, `http://127.0.0.1:${port}`) : await campaignAboutNoProduct(app, clock);
  } finally {
    await app?.close();
    await db.stop();
  }
}

/** What a campaign's events say it did: messages sent and withheld at the caps, the control group, refusals by code. */
const decisions = async (data: DataSource, campaignId: string) => {
  const [{ sent, withheld }] = await data.query(
    `SELECT COALESCE(sum(jsonb_array_length(data->'sent')), 0)::int AS sent, COALESCE(sum(jsonb_array_length(data->'withheld')), 0)::int AS withheld
       FROM events WHERE type = 'reach.BatchSent' AND data->>'campaignId' = $1`,
    [campaignId],
  );
  const batches: { data: { refused: Record<string, number>; control: string[] } }[] = await data.query(
    `SELECT data FROM events WHERE type = 'reach.CampaignBatchFannedOut' AND data->>'campaignId' = $1`,
    [campaignId],
  );
  const control = batches.reduce((n, b) => n + b.data.control.length, 0);
  const refused: Record<string, number> = {};
  for (const batch of batches) for (const [code, n] of Object.entries(batch.data.refused)) refused[code] = (refused[code] ?? 0) + n;
  return { sent: sent as number, withheld: withheld as number, control, refused };
};

const campaignAboutNoProduct = async (app: INestApplication, clock: AdjustableClock): Promise<Record<string, unknown>> => {
  const data = app.get(DataSource);
  const seedStarted = Date.now();
  await seedReadModels(data, INVESTORS, SEQUENTIAL_IDS);
  const seedSeconds = (Date.now() - seedStarted) / 1000;

  const commands = app.get(CommandBus);
  const campaignId = uuidv7();
  const context = systemContext(clock.now(), uuidv7());
  await commands.execute(
    new CreateCampaignCommand(
      {
        campaignId,
        name: 'bench',
        segment: { kind: 'all_investors' },
        channel: 'in_app',
        template: { title: '今日大盘上涨', body: '打开自选股看看。投资有风险。', productId: null, productFamily: null, incentive: null },
        schedule: { kind: 'once' },
        controlPercent: CONTROL_PERCENT,
        outcome: { kind: 'returned', days: 3 },
      },
      context,
    ),
  );
  const started = Date.now();
  const outcome = await app.get(CampaignRunner).run(campaignId, context);
  const seconds = (Date.now() - started) / 1000;
  const { sent, withheld, control, refused } = await decisions(data, campaignId);
  const perSecond = Math.round(INVESTORS / seconds);
  return {
    investors: INVESTORS,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    batches: outcome.batches,
    status: outcome.status,
    sent,
    withheldAtCaps: withheld,
    controlGroup: control,
    refusedNoConsent: Object.values(refused).reduce((a, c) => a + c, 0),
    fanOutSeconds: Math.round(seconds * 10) / 10,
    recipientsPerSecond: perSecond,
    ratios: { recipientsPerSecondOverTarget10k: ratio(perSecond, TARGET_PER_SECOND) },
  };
};

// ---- A campaign about an advisory product (BENCH_REACH_PRODUCT=advisory).

/**
 * RQ-2025.1 answer sets scoring 12 (C1), 24 (C2), 39 (C3), 57 (C4) and 100 (C5), and the lowest category (no loss
 * borne). The domain tests have the same sets; a bench may not import test code (the dependency rules).
 */
const C1: Answers = {
  q01_civil_capacity: 'a',
  q02_age: 'e',
  q03_income: 'a',
  q04_assets: 'a',
  q05_debt: 'a',
  q06_experience_years: 'a',
  q07_products_held: 'a',
  q08_knowledge: 'a',
  q09_objective: 'a',
  q10_horizon: 'a',
  q11_loss_tolerance: 'b',
  q12_drawdown_reaction: 'a',
};
const C2: Answers = { ...C1, q02_age: 'b', q05_debt: 'c' };
const C3: Answers = { ...C2, q06_experience_years: 'c', q08_knowledge: 'b', q09_objective: 'c' };
const C4: Answers = { ...C3, q10_horizon: 'd', q11_loss_tolerance: 'd', q12_drawdown_reaction: 'c' };
const C5: Answers = Object.fromEntries(
  RQ_2025_1.questions.map((q) => [q.id, q.options.reduce((best, o) => (o.score > best.score ? o : best)).id]),
);
const LOWEST: Answers = { ...C1, q11_loss_tolerance: 'a' };

/**
 * The assessed investors' risk profiles and what G3 must make of a message about the R3, medium-horizon, A-share
 * listing for each (null: the message goes), `weight` of every 20 investors.
 */
const PROFILES: readonly {
  readonly name: string;
  readonly answers: Answers | null;
  readonly category: string | null;
  readonly horizon: 'short' | 'long';
  readonly refusal: string | null;
  readonly weight: number;
}[] = [
  { name: 'C1', answers: C1, category: 'C1', horizon: 'long', refusal: 'REACH.ABOVE_RISK_LEVEL', weight: 2 },
  { name: 'C2', answers: C2, category: 'C2', horizon: 'long', refusal: 'REACH.ABOVE_RISK_LEVEL', weight: 4 },
  { name: 'C3', answers: C3, category: 'C3', horizon: 'long', refusal: null, weight: 5 },
  { name: 'C4', answers: C4, category: 'C4', horizon: 'long', refusal: null, weight: 4 },
  { name: 'C5', answers: C5, category: 'C5', horizon: 'long', refusal: null, weight: 1 },
  { name: 'C4, short horizon', answers: C4, category: 'C4', horizon: 'short', refusal: 'REACH.AGAINST_OBJECTIVES', weight: 2 },
  { name: 'lowest category', answers: LOWEST, category: 'C1', horizon: 'long', refusal: 'REACH.LOWEST_CATEGORY', weight: 1 },
  { name: 'account, not assessed', answers: null, category: null, horizon: 'long', refusal: 'REACH.NO_MATCHING_OPINION', weight: 1 },
];
const PROFILE_CYCLE = PROFILES.flatMap((profile) => Array.from({ length: profile.weight }, () => profile));
const NAMES = ['王小明', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽'];

interface AssessedInvestor {
  readonly investorId: string;
  readonly profile: (typeof PROFILES)[number];
  readonly consented: boolean;
}

type Call = (method: string, path: string, token?: string, body?: unknown) => Promise<Record<string, unknown>>;

const httpClient =
  (url: string): Call =>
  async (method, path, token, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };

/** A GB 11643 number: Beijing Xicheng, born from 1960-01-01 on (a day per 1,000 investors), unique per `n`. */
const nationalIdOf = (n: number): string => {
  const born = new Date(Date.UTC(1960, 0, 1) + Math.floor(n / 1000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `110102${born}${String(n % 1000).padStart(3, '0')}`;
  return first17 + nationalIdCheckChar(first17);
};

/**
 * The product team's advisory listing, published (drafted by a product manager, approved by compliance as advisory,
 * published), and the assessed investors, all through the API. Returns the product manager's token for the campaign.
 */
const setUpThroughTheApi = async (call: Call): Promise<{ productId: string; pmToken: string; investors: AssessedInvestor[] }> => {
  const admin = (await call('POST', '/auth/login', undefined, { email: 'admin@example.com', password: 'bench-admin-password' }))
    .accessToken as string;
  const staff = async (role: string) => {
    const email = `bench-${role}@example.com`;
    const registered = await call('POST', '/auth/register', undefined, { email, password: 'a-long-enough-password', displayName: role });
    await call('POST', `/admin/users/${registered.userId}/roles`, admin, { role });
    const login = await call('POST', '/auth/login', undefined, { email, password: 'a-long-enough-password' });
    return { id: registered.userId as string, token: login.accessToken as string };
  };
  const pm = await staff('product_manager');
  const compliance = await staff('compliance_officer');
  const advisor = await staff('advisor');
  const productId = await publishAdvisoryListing(call, { pmToken: pm.token, complianceToken: compliance.token, advisorId: advisor.id });

  const consentTextHash = contentHash(currentDocument('sensitive_data_consent')!.text);
  const investors: AssessedInvestor[] = new Array<AssessedInvestor>(ASSESSED);
  let next = 0;
  const assess = async (n: number) => {
    const profile = PROFILE_CYCLE[n % PROFILE_CYCLE.length];
    // Uncorrelated with the profile: one in ten of each profile never opts in.
    const consented = Math.floor(n / PROFILE_CYCLE.length) % 10 < Math.round(CONSENT_SHARE * 10);
    const registered = await call('POST', '/auth/register', undefined, {
      email: `bench-investor-${n}@example.com`,
      password: 'a-long-enough-password',
      displayName: `Investor ${n}`,
    });
    const token = registered.accessToken as string;
    await call('POST', '/advisory/account', token, {
      legalName: NAMES[n % NAMES.length],
      nationalId: nationalIdOf(n),
      mobile: `139${String(n).padStart(8, '0')}`,
      profile: {
        occupation: 'engineer',
        incomeBand: '100k_500k',
        assetsBand: '500k_3m',
        experienceYears: 3,
        objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: profile.horizon },
      },
      sensitiveDataConsent: true,
      consentTextHash,
    });
    if (profile.answers) {
      const assessment = await call('POST', '/advisory/assessments', token, { answers: profile.answers });
      if (assessment.category !== profile.category || assessment.lowestCategory !== (profile.refusal === 'REACH.LOWEST_CATEGORY'))
        throw new Error(`profile ${profile.name} was assessed ${String(assessment.category)}, lowest ${String(assessment.lowestCategory)}`);
      await call('POST', `/advisory/assessments/${assessment.assessmentId}/confirmation`, token);
    }
    if (consented) await call('PUT', '/me/reach/consents/in_app', token, { granted: true });
    investors[n] = { investorId: registered.userId as string, profile, consented };
  };
  await Promise.all(
    Array.from({ length: Math.min(SETUP_WORKERS, ASSESSED) }, async () => {
      while (next < ASSESSED) await assess(next++);
    }),
  );
  return { productId, pmToken: pm.token, investors };
};

/** The milliseconds a UUIDv7 was made at. */
const timeOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

const advisoryCampaign = async (app: INestApplication, clock: AdjustableClock, url: string): Promise<Record<string, unknown>> => {
  const data = app.get(DataSource);
  const call = httpClient(url);
  const setupStarted = Date.now();
  const { productId, pmToken, investors } = await setUpThroughTheApi(call);
  // The campaign's segment and consents are read models: the fan-out starts once they hold the registered investors.
  await app.get(ProjectionRunner).catchUp(600_000);
  const ids = investors.map((investor) => investor.investorId);
  const [{ known, consenting }] = await data.query(
    `SELECT (SELECT count(*) FROM growth_investors WHERE investor_id = ANY($1))::int AS known,
            (SELECT count(*) FROM reach_consents WHERE channel = 'in_app' AND granted AND investor_id = ANY($1))::int AS consenting`,
    [ids],
  );
  const expectedConsenting = investors.filter((investor) => investor.consented).length;
  if (known !== ASSESSED || consenting !== expectedConsenting)
    throw new Error(`read models behind: ${known}/${ASSESSED} investors, ${consenting}/${expectedConsenting} consents`);
  const setupSeconds = (Date.now() - setupStarted) / 1000;

  const seedStarted = Date.now();
  const times = ids.map(timeOf);
  const from = times.length ? times.reduce((a, b) => Math.min(a, b)) : Date.now();
  const to = times.length ? times.reduce((a, b) => Math.max(a, b)) : from;
  await seedReadModels(data, INVESTORS - ASSESSED, SPREAD_IDS, [from, to]);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  const [{ segment }] = await data.query(`SELECT count(*)::int AS segment FROM growth_investors WHERE registered_at <= $1`, [
    clock.now().toISOString(),
  ]);

  // Created as the product team creates it: the template's product is looked up and found a published advisory one.
  const created = await call('POST', '/reach/campaigns', pmToken, {
    name: '策略介绍',
    segment: { kind: 'all_investors' },
    channel: 'in_app',
    template: { title: '组合策略', body: '价值精选组合介绍。投资有风险。', productId },
    schedule: { kind: 'once' },
    controlPercent: CONTROL_PERCENT,
    outcome: { kind: 'stage', productKind: 'stock_picking_strategy', stage: 'transacted', days: 7 },
  });
  const campaignId = created.campaignId as string;
  const context = systemContext(clock.now(), uuidv7());
  const started = Date.now();
  const outcome = await app.get(CampaignRunner).run(campaignId, context);
  const seconds = (Date.now() - started) / 1000;

  const { sent, withheld, control, refused } = await decisions(data, campaignId);
  const contacts: { investor_id: string }[] = await data.query(
    `SELECT data->>'investorId' AS investor_id FROM events
      WHERE type = 'advisory.InvestorContacted' AND data->>'source' = 'campaign' AND data->>'reference' = $1 AND data->>'productId' = $2`,
    [campaignId, productId],
  );
  const attributions = contacts.length;
  const recipients: { investor_id: string }[] = await data.query(
    `SELECT r->>'investorId' AS investor_id FROM events, jsonb_array_elements((data->'sent') || (data->'withheld')) AS r
      WHERE type = 'reach.BatchSent' AND data->>'campaignId' = $1`,
    [campaignId],
  );

  // What G1 and G3 must have made of the assessed investors, from their profiles alone.
  const expectedRecipients = new Set<string>();
  const expectedRefused: Record<string, number> = {};
  const profiles: Record<string, { investors: number; recipients: number; control: number; noConsent: number; refused: number }> = {};
  for (const { investorId, profile, consented } of investors) {
    const counts = (profiles[profile.name] ??= { investors: 0, recipients: 0, control: 0, noConsent: 0, refused: 0 });
    counts.investors += 1;
    if (inControlGroup(campaignId, investorId, CONTROL_PERCENT)) counts.control += 1;
    else if (!consented) counts.noConsent += 1;
    else if (profile.refusal) {
      counts.refused += 1;
      expectedRefused[profile.refusal] = (expectedRefused[profile.refusal] ?? 0) + 1;
    } else {
      counts.recipients += 1;
      expectedRecipients.add(investorId);
    }
  }
  const refusedTotal = Object.values(refused).reduce((a, c) => a + c, 0);
  const unexpectedRecipients = recipients.filter((row) => !expectedRecipients.has(row.investor_id)).length;
  const problems = [
    sent + withheld + control + refusedTotal !== segment &&
      `decided ${sent + withheld + control + refusedTotal} of a segment of ${segment} (sent + withheld + control + refused)`,
    (recipients.length !== expectedRecipients.size || unexpectedRecipients > 0) &&
      `${recipients.length} recipients (${unexpectedRecipients} unexpected), ${expectedRecipients.size} matched investors expected`,
    ...['REACH.ABOVE_RISK_LEVEL', 'REACH.AGAINST_OBJECTIVES', 'REACH.LOWEST_CATEGORY'].map(
      (code) =>
        (refused[code] ?? 0) !== (expectedRefused[code] ?? 0) && `${code}: ${refused[code] ?? 0}, expected ${expectedRefused[code] ?? 0}`,
    ),
    (attributions !== sent + withheld ||
      new Set(contacts.map((row) => row.investor_id)).size !== attributions ||
      contacts.some((row) => !expectedRecipients.has(row.investor_id))) &&
      `${attributions} contacts recorded for ${sent + withheld} recipients, not one for each of them`,
    outcome.status !== 'completed' && `the campaign is ${outcome.status}`,
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length) throw new Error(`the advisory campaign's decisions do not add up: ${problems.join('; ')}`);

  const perSecond = Math.round(segment / seconds);
  return {
    product: 'advisory',
    investors: INVESTORS,
    assessedInvestors: ASSESSED,
    segment,
    setupSeconds: Math.round(setupSeconds * 10) / 10,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    batches: outcome.batches,
    status: outcome.status,
    sent,
    withheldAtCaps: withheld,
    controlGroup: control,
    refused,
    attributions,
    assessedProfiles: profiles,
    fanOutSeconds: Math.round(seconds * 10) / 10,
    recipientsPerSecond: perSecond,
    ratios: { recipientsPerSecondOverTarget10k: ratio(perSecond, TARGET_PER_SECOND) },
  };
};

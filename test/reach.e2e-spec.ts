import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource, QueryRunner } from 'typeorm';
import { systemContext } from '@app/common';
import { PgEventStore } from '@app/event-store';
import { SandboxMarketData } from '@app/market-data';
import { CampaignRunner, FanOutBatchCommand, SandboxChannelGateway, StartCampaignCommand } from '@app/reach';
import { loadMigrations } from '../migrations';
import { createTestApp, TestApp } from './support/app';
import { advisoryListing, auth, level2Listing, openAssessedAccount, publishListing, registerStaff, Staff } from './marketplace/fixtures';
import { ANSWERS, LOWEST_ANSWERS } from '../libs/advisory/src/domain/testing/fixtures';

/** Wednesday 2026-12-02, 10:00 in Beijing: outside quiet hours. */
const MORNING = new Date('2026-12-02T02:00:00.000Z');
const DAY = 86_400_000;

const consentTo = (t: TestApp, token: string, channel: string, granted = true) =>
  t.http.put(`/me/reach/consents/${channel}`).set(auth(token)).send({ granted }).expect(200);

describe('reach: a campaign from segment to delivery to measured outcome (G1, G2)', () => {
  let t: TestApp;
  let staff: Staff;
  let investors: { userId: string; token: string }[];
  const consenting = new Set<string>();

  beforeAll(async () => {
    t = await createTestApp({ REACH_TICK_MS: '0', REACH_CAP_IN_APP_DAY: '1', REACH_BATCH_SIZE: '5', REACH_FANOUT_AHEAD: '3' });
    // Everyone registers ten days before the campaigns: a registration is activity (server-side), so only then are
    // they inactive for the 7-day segment.
    t.clock.set(new Date(MORNING.getTime() - 10 * DAY));
    staff = await registerStaff(t);
    investors = [];
    for (let i = 0; i < 24; i++) {
      const investor = await t.register();
      investors.push(investor);
      await t.http.put('/me/analytics-consent').set(auth(investor.token)).send({ given: true }).expect(200);
      // Four of them never opt in to in-app messages (G1).
      if (i % 6 !== 5) {
        await consentTo(t, investor.token, 'in_app');
        consenting.add(investor.userId);
      }
    }
    // The segments are read models: the campaigns below start once they hold these investors and their consents.
    await t.catchUp();
    t.clock.set(MORNING);
  });
  afterAll(() => t.close());

  const createCampaign = (body: Record<string, unknown> = {}) =>
    t.http
      .post('/reach/campaigns')
      .set(auth(staff.pm.token))
      .send({
        name: '大盘上涨提醒',
        segment: { kind: 'inactive', days: 7 },
        channel: 'in_app',
        template: { title: '今日大盘上涨', body: '指数今日上涨，打开自选股看看您关注的股票。投资有风险。' },
        schedule: { kind: 'index_rise', indexCode: '000001.SH', risePercent: 2 },
        controlPercent: 25,
        outcome: { kind: 'returned', days: 3 },
        ...body,
      });

  it('G1, G2: the index rises 2.5% → opted-in inactive investors are reminded, the control group held out; opens and returns measured against it', async () => {
    const created = await createCampaign().expect(201);
    const campaignId = created.body.campaignId as string;
    expect(created.body).toMatchObject({ status: 'scheduled' });
    const runner = t.app.get(CampaignRunner);
    const market = t.app.get(SandboxMarketData);

    // No rise yet: the trigger does not fire.
    market.setIndexDay('000001.SH', '2026-12-02', 3300, 3330);
    expect((await runner.tick(t.clock.now())).ran).toEqual([]);
    market.setIndexDay('000001.SH', '2026-12-02', 3300, 3382.5);
    expect((await runner.tick(t.clock.now())).ran).toEqual([campaignId]);
    await t.catchUp();

    const campaign = await t.http.get(`/reach/campaigns/${campaignId}`).set(auth(staff.pm.token)).expect(200);
    expect(campaign.body).toMatchObject({
      status: 'completed',
      startReason: 'trigger',
      trigger: { indexCode: '000001.SH', changePercent: 2.5 },
    });

    const report = (await t.http.get(`/reach/campaigns/${campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    // The segment is every inactive investor (staff included); each is a recipient, held out, or refused for consent.
    const segment = report.reach.attempted + report.outcome.control.investors + (report.reach.refused['REACH.NO_CONSENT'] ?? 0);
    expect(segment).toBeGreaterThanOrEqual(investors.length);
    expect(report.reach.sent).toBe(report.reach.attempted);
    expect(report.reach.delivered).toBe(report.reach.sent);
    expect(report.outcome.control.investors).toBeGreaterThan(0);
    expect(report.outcome.recipients.investors).toBe(report.reach.sent);

    // Recipients find it in their inbox; nobody without consent does (G1).
    const recipients: string[] = [];
    for (const investor of investors) {
      const inbox = (await t.http.get('/me/inbox').set(auth(investor.token)).expect(200)).body;
      if (!consenting.has(investor.userId)) expect(inbox.items).toEqual([]);
      if (inbox.items.length) recipients.push(investor.userId);
    }
    expect(recipients.length).toBeGreaterThan(0);
    const reader = investors.find((investor) => investor.userId === recipients[0])!;
    const [message] = (await t.http.get('/me/inbox').set(auth(reader.token)).expect(200)).body.items;
    expect(message).toMatchObject({ campaignId, title: '今日大盘上涨', openedAt: null });
    await t.http.post(`/me/inbox/${message.messageId}/read`).set(auth(reader.token)).expect(200);
    await t.http.post(`/me/inbox/${message.messageId}/read`).set(auth(reader.token)).expect(200);
    const stranger = investors.find((investor) => investor.userId !== reader.userId)!;
    expect((await t.http.post(`/me/inbox/${message.messageId}/read`).set(auth(stranger.token)).expect(404)).body.code).toBe(
      'REACH.MESSAGE_NOT_FOUND',
    );

    // The outcome: two recipients and one of the control group come back within three days.
    const control = investors.filter((investor) => !recipients.includes(investor.userId) && consenting.has(investor.userId));
    const back = [...recipients.slice(0, 2).map((id) => investors.find((investor) => investor.userId === id)!), ...control.slice(0, 1)];
    t.clock.set(new Date(MORNING.getTime() + DAY));
    for (const investor of back) {
      await t.http
        .post('/me/activity')
        .set(auth(investor.token))
        .send({
          events: [
            { clientEventId: `back-${investor.userId}`, type: 'watchlist_viewed', at: new Date(MORNING.getTime() + DAY).toISOString() },
          ],
        })
        .expect(200);
    }
    const measured = (await t.http.get(`/reach/campaigns/${campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    expect(measured.opened).toBe(1);
    expect(measured.outcome).toMatchObject({ kind: 'returned', days: 3, window: { complete: false } });
    expect(measured.outcome.recipients.converted).toBe(2);
    expect(measured.outcome.control.converted).toBe(control.length > 0 ? 1 : 0);
    expect(measured.outcome.lift).toBeCloseTo(measured.outcome.recipients.rate - measured.outcome.control.rate);

    // A campaign runs once.
    expect((await t.http.post(`/reach/campaigns/${campaignId}/run`).set(auth(staff.pm.token)).expect(409)).body.code).toBe(
      'REACH.CAMPAIGN_ALREADY_RAN',
    );
  });

  it('G2: a second campaign the same Beijing day is withheld at the daily cap of 1 for every recipient, and the caps are recorded', async () => {
    t.clock.set(new Date(MORNING.getTime() + DAY + 3_600_000));
    const first = await createCampaign({ schedule: { kind: 'once' }, controlPercent: 0, segment: { kind: 'all_investors' } }).expect(201);
    const one = await t.http.post(`/reach/campaigns/${first.body.campaignId}/run`).set(auth(staff.pm.token)).expect(200);
    expect(one.body).toMatchObject({ status: 'completed', deferredUntil: null });
    const second = await createCampaign({ schedule: { kind: 'once' }, controlPercent: 0, segment: { kind: 'all_investors' } }).expect(201);
    await t.http.post(`/reach/campaigns/${second.body.campaignId}/run`).set(auth(staff.pm.token)).expect(200);
    await t.catchUp();
    const a = (await t.http.get(`/reach/campaigns/${first.body.campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    const b = (await t.http.get(`/reach/campaigns/${second.body.campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    expect(a.reach.sent).toBe(consenting.size);
    expect(b.reach).toMatchObject({ attempted: consenting.size, sent: 0, withheldAtCaps: consenting.size });
  });

  it('G2: two campaigns fanning out to the same investors at the same time still send each at most the daily cap', async () => {
    t.clock.set(new Date('2026-12-09T02:00:00.000Z'));
    const commands = t.app.get(CommandBus);
    const campaigns: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await createCampaign({ schedule: { kind: 'once' }, controlPercent: 0, segment: { kind: 'all_investors' } }).expect(
        201,
      );
      await commands.execute(new StartCampaignCommand(created.body.campaignId, 'manual', null, systemContext(t.clock.now(), `start-${i}`)));
      campaigns.push(created.body.campaignId);
    }
    const targets = investors.map((investor) => investor.userId);
    // Straight to the batch command, side by side: the runner's own queue would put them one after the other.
    const answers = await Promise.all(
      campaigns.map((campaignId, i) =>
        commands.execute(
          new FanOutBatchCommand(
            campaignId,
            { batch: 1, after: null, last: targets[targets.length - 1], refused: {}, control: [] },
            targets.map((investorId) => ({ messageId: randomUUID(), investorId })),
            { perDay: 1, perWeek: 10 },
            systemContext(t.clock.now(), `batch-${i}`),
          ),
        ),
      ),
    );
    const db = t.app.get(DataSource);
    // Each investor is in exactly one batch's `sent`, and in the other two batches' `withheld` at the daily cap.
    const perInvestor: { investor: string; n: number }[] = await db.query(
      `SELECT r->>'investorId' AS investor, count(*)::int AS n FROM events, jsonb_array_elements(data->'sent') AS r
        WHERE type = 'reach.BatchSent' AND data->>'campaignId' = ANY($1) GROUP BY 1`,
      [campaigns],
    );
    expect(perInvestor).toHaveLength(targets.length);
    expect(perInvestor.every((row) => row.n === 1)).toBe(true);
    const [{ withheld }] = await db.query(
      `SELECT sum(jsonb_array_length(data->'withheld'))::int AS withheld FROM events WHERE type = 'reach.BatchSent' AND data->>'campaignId' = ANY($1)`,
      [campaigns],
    );
    expect(withheld).toBe(2 * targets.length);
    expect(answers.reduce((n, a) => n + a.sent, 0)).toBe(targets.length);
    const counters: { day_count: number }[] = await db.query(
      `SELECT day_count FROM reach_cap_counters WHERE channel = 'in_app' AND week = '2026-12-07' AND investor_id = ANY($1)`,
      [targets],
    );
    expect(counters).toHaveLength(targets.length);
    expect(counters.every((row) => row.day_count === 1)).toBe(true);
  });

  it('G2: concurrent batches with an investor on every one: the counter never passes the daily cap, whoever wins each race', async () => {
    t.clock.set(new Date('2026-12-10T02:00:00.000Z'));
    const commands = t.app.get(CommandBus);
    const shared = investors[0].userId;
    const campaigns: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await createCampaign({ schedule: { kind: 'once' }, controlPercent: 0, segment: { kind: 'all_investors' } }).expect(
        201,
      );
      await commands.execute(new StartCampaignCommand(created.body.campaignId, 'manual', null, systemContext(t.clock.now(), `s-${i}`)));
      campaigns.push(created.body.campaignId);
    }
    const answers = await Promise.all(
      campaigns.map((campaignId, i) =>
        commands.execute(
          new FanOutBatchCommand(
            campaignId,
            { batch: 1, after: null, last: shared, refused: {}, control: [] },
            [{ messageId: randomUUID(), investorId: shared }],
            { perDay: 2, perWeek: 10 },
            systemContext(t.clock.now(), `race-${i}`),
          ),
        ),
      ),
    );
    expect(answers.reduce((n, a) => n + a.sent, 0)).toBe(2);
    expect(answers.reduce((n, a) => n + a.withheld, 0)).toBe(4);
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT week_count, day_count FROM reach_cap_counters WHERE investor_id = $1 AND channel = 'in_app' AND week = '2026-12-07'`, [
        shared,
      ]);
    // Two from this race on top of the one the previous test sent that week (another day).
    expect(row).toEqual({ week_count: 3, day_count: 2 });
  });

  it('a fan-out that crashes after a recorded batch resumes after it: no batch is sent twice, every investor is decided once', async () => {
    t.clock.set(new Date('2026-12-16T02:00:00.000Z'));
    const created = await createCampaign({ schedule: { kind: 'once' }, controlPercent: 20, segment: { kind: 'all_investors' } }).expect(
      201,
    );
    const campaignId = created.body.campaignId as string;
    const commands = t.app.get(CommandBus);
    const runner = t.app.get(CampaignRunner);
    const execute = commands.execute.bind(commands);
    let batchesSeen = 0;
    const crash = jest.spyOn(commands, 'execute').mockImplementation(async (command) => {
      const answer = await execute(command);
      // The process dies just after the second batch is stored, before the runner moves on.
      if (command instanceof FanOutBatchCommand && ++batchesSeen === 2) throw new Error('crash');
      return answer;
    });
    await expect(runner.run(campaignId, systemContext(t.clock.now(), 'crashing-run'))).rejects.toThrow('crash');
    crash.mockRestore();
    const db = t.app.get(DataSource);
    const recorded = await db.query(`SELECT count(*)::int AS n FROM events WHERE type = 'reach.BatchSent' AND data->>'campaignId' = $1`, [
      campaignId,
    ]);
    expect(recorded[0].n).toBe(2);

    // Deciding a recorded batch again (a restarted runner that had not seen it stored) sends nothing.
    const again = await commands.execute(
      new FanOutBatchCommand(
        campaignId,
        { batch: 2, after: null, last: null, refused: {}, control: [] },
        [{ messageId: randomUUID(), investorId: investors[0].userId }],
        { perDay: 1, perWeek: 10 },
        systemContext(t.clock.now(), 'again'),
      ),
    );
    expect(again).toMatchObject({ sent: 0, withheld: 0 });

    // The scheduler's next tick carries on from the cursor of batch 2 (and finishes the campaigns the tests above left running).
    await t.catchUp();
    expect((await runner.tick(t.clock.now())).ran).toContain(campaignId);
    await t.catchUp();
    const batches: { batch: number; sent: number; withheld: number }[] = await db.query(
      `SELECT (data->>'batch')::int AS batch, jsonb_array_length(data->'sent') AS sent, jsonb_array_length(data->'withheld') AS withheld
         FROM events WHERE type = 'reach.BatchSent' AND data->>'campaignId' = $1 ORDER BY 1`,
      [campaignId],
    );
    expect(batches.map((b) => b.batch)).toEqual(batches.map((_b, i) => i + 1));
    expect(batches.length).toBeGreaterThan(2);
    const perInvestor: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM reach_messages WHERE campaign_id = $1 GROUP BY investor_id`,
      [campaignId],
    );
    expect(perInvestor.every((row) => row.n === 1)).toBe(true);
    const report = (await t.http.get(`/reach/campaigns/${campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    expect(report.status).toBe('completed');
    expect(report.reach.sent).toBe(perInvestor.length);
    expect(report.reach.sent).toBe(batches.reduce((n, b) => n + b.sent, 0));
    // Every investor of the segment decided once: sent, held out or refused for consent.
    const [{ segment }] = await db.query(`SELECT count(*)::int AS segment FROM growth_investors`);
    expect(report.reach.attempted + report.outcome.control.investors + (report.reach.refused['REACH.NO_CONSENT'] ?? 0)).toBe(segment);
  });

  it('G2: a campaign run in quiet hours (22:00 Beijing) is deferred, not dropped: the first tick after 08:00 sends it', async () => {
    t.clock.set(new Date('2026-12-05T14:00:00.000Z'));
    const created = await createCampaign({ schedule: { kind: 'once' }, controlPercent: 0, segment: { kind: 'all_investors' } }).expect(201);
    const run = await t.http.post(`/reach/campaigns/${created.body.campaignId}/run`).set(auth(staff.pm.token)).expect(200);
    expect(run.body).toMatchObject({ status: 'running', batches: 0, deferredUntil: '2026-12-06T00:00:00.000Z' });
    const runner = t.app.get(CampaignRunner);
    t.clock.set(new Date('2026-12-05T23:59:00.000Z'));
    expect((await runner.tick(t.clock.now())).ran).toEqual([]);
    t.clock.set(new Date('2026-12-06T00:05:00.000Z'));
    // (The campaigns the test before left running are carried on by the same tick.)
    expect((await runner.tick(t.clock.now())).ran).toContain(created.body.campaignId);
    await t.catchUp();
    const report = (await t.http.get(`/reach/campaigns/${created.body.campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    expect(report).toMatchObject({ status: 'completed', outcome: { window: { from: '2026-12-06T00:05:00.000Z' } } });
    expect(report.reach.sent).toBe(consenting.size);
  });

  it('G1: one-tap unsubscribe works without login; a forged link is refused; no message follows on that channel', async () => {
    const investor = investors[0];
    const { unsubscribeToken } = (await t.http.get('/me/inbox').set(auth(investor.token)).expect(200)).body;
    const forged = unsubscribeToken.slice(0, -2) + (unsubscribeToken.endsWith('A') ? 'BB' : 'AA');
    expect((await t.http.post('/reach/unsubscribe').send({ token: forged }).expect(400)).body).toMatchObject({
      code: 'REACH.UNSUBSCRIBE_TOKEN_INVALID',
      rule: 'G1',
    });
    const done = await t.http.post('/reach/unsubscribe').send({ token: unsubscribeToken }).expect(200);
    expect(done.body).toMatchObject({ investorId: investor.userId, channel: 'in_app', granted: false, changed: true });
    await t.http.post('/reach/unsubscribe').send({ token: unsubscribeToken }).expect(200);
    const consents = (await t.http.get('/me/reach/consents').set(auth(investor.token)).expect(200)).body;
    expect(consents.channels.find((c: { channel: string }) => c.channel === 'in_app')).toMatchObject({
      granted: false,
      via: 'unsubscribe_link',
    });
    t.clock.set(new Date('2026-12-08T02:00:00.000Z'));
    const refused = await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send({ investorId: investor.userId, channel: 'in_app', title: '提醒', body: '看看今天的行情' })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'REACH.NO_CONSENT', rule: 'G1' });
  });

  it('push goes through the sandbox provider, outside quiet hours; a failing provider is recorded as failed', async () => {
    t.clock.set(new Date('2026-12-08T03:00:00.000Z'));
    const [ok, failing] = [investors[1], investors[2]];
    await consentTo(t, ok.token, 'push');
    await consentTo(t, failing.token, 'sms');
    const sandbox = t.app.get(SandboxChannelGateway);
    sandbox.setFailing('sms', true);
    await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send({ investorId: ok.userId, channel: 'push', title: '提醒', body: '您关注的股票有新公告' })
      .expect(201);
    await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send({ investorId: failing.userId, channel: 'sms', title: '提醒', body: '您关注的股票有新公告' })
      .expect(201);
    const dispatched = await t.app.get(CampaignRunner).dispatch(t.clock.now());
    expect(dispatched).toBe(2);
    expect(sandbox.recorded.some((m) => m.investorId === ok.userId && m.channel === 'push' && m.unsubscribeToken.startsWith('u1.'))).toBe(
      true,
    );
    expect(sandbox.recorded.some((m) => m.investorId === failing.userId)).toBe(false);
    await t.catchUp();
    const statuses = await t.app
      .get(DataSource)
      .query(`SELECT investor_id, status, error FROM reach_messages WHERE investor_id = ANY($1) AND channel <> 'in_app'`, [
        [ok.userId, failing.userId],
      ]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        { investor_id: ok.userId, status: 'delivered', error: null },
        { investor_id: failing.userId, status: 'failed', error: 'sandbox sms: configured to fail' },
      ]),
    );
    expect(await t.app.get(CampaignRunner).dispatch(t.clock.now())).toBe(0);
    // Two push messages a day at most (the default cap), then refused naming G2.
    await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send({ investorId: ok.userId, channel: 'push', title: '提醒', body: '第二条' })
      .expect(201);
    const capped = await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send({ investorId: ok.userId, channel: 'push', title: '提醒', body: '第三条' })
      .expect(422);
    expect(capped.body).toMatchObject({ code: 'REACH.DAILY_CAP_REACHED', rule: 'G2' });
  });

  it('the reach tools are for the product team; garbage is a 400', async () => {
    await createCampaign().set(auth(investors[0].token)).expect(403);
    await t.http.post('/reach/campaigns').expect(401);
    expect((await createCampaign({ segment: { kind: 'inactive' } }).expect(400)).body.code).toBe('REACH.SEGMENT_INVALID');
    expect((await createCampaign({ controlPercent: 90 }).expect(400)).body.code).toBe('VALIDATION.FAILED');
    expect((await createCampaign({ template: { title: '保本', body: '稳赚不赔' } }).expect(422)).body).toMatchObject({
      code: 'CONTENT.PROHIBITED_PHRASE',
      rule: 'V3',
    });
    expect((await t.http.get('/me/inbox?cursor=garbage').set(auth(investors[0].token)).expect(400)).body.code).toBe('REACH.CURSOR_INVALID');
    expect((await t.http.put('/me/reach/consents/fax').set(auth(investors[0].token)).send({ granted: true }).expect(400)).body.code).toBe(
      'REACH.CHANNEL_UNKNOWN',
    );
  });

  it('the product team lists every campaign, the newest first, page by page and by state; investors may not', async () => {
    const newest = (await createCampaign({ name: '列表中最新的活动', schedule: { kind: 'once' } }).expect(201)).body.campaignId as string;
    const seen: { campaignId: string; status: string; name: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { campaignId: string; status: string; name: string }[]; nextCursor: string | null } = (
        await t.http
          .get('/reach/campaigns')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auth(staff.pm.token))
          .expect(200)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const count = Number((await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM reach_campaigns`))[0].n);
    expect(seen).toHaveLength(count);
    expect(count).toBeGreaterThan(3);
    expect(seen[0]).toMatchObject({ campaignId: newest, name: '列表中最新的活动', status: 'scheduled', channel: 'in_app', sent: 0 });
    expect(new Set(seen.map((c) => c.campaignId)).size).toBe(count);
    expect(seen.map((c) => c.campaignId)).toEqual([...seen.map((c) => c.campaignId)].sort().reverse());

    const completed = await t.http.get('/reach/campaigns?status=completed').set(auth(staff.compliance.token)).expect(200);
    expect(completed.body.items.length).toBeGreaterThan(0);
    expect(completed.body.items.every((c: { status: string }) => c.status === 'completed')).toBe(true);
    expect(completed.body.items.map((c: { campaignId: string }) => c.campaignId)).not.toContain(newest);

    await t.http.get('/reach/campaigns').set(auth(investors[0].token)).expect(403);
    expect((await t.http.get('/reach/campaigns?cursor=garbage').set(auth(staff.pm.token)).expect(400)).body.code).toBe(
      'REACH.CURSOR_INVALID',
    );
    expect((await t.http.get('/reach/campaigns?status=paused').set(auth(staff.pm.token)).expect(400)).body.code).toBe('VALIDATION.FAILED');
  });

  it('E5, G4: compliance lists one investor’s messages with the log event that sent each, and proves one; the access is recorded', async () => {
    const investor = investors[0];
    const path = `/reach/compliance/investors/${investor.userId}/messages`;
    const reason = 'complaint 2026-301';
    expect((await t.http.get(path).set(auth(staff.compliance.token)).expect(422)).body).toMatchObject({
      code: 'AUDIT.ACCESS_REASON_REQUIRED',
      rule: 'E5',
    });
    await t.http.get(path).query({ reason }).set(auth(staff.pm.token)).expect(403);
    const items: { messageId: string; channel: string; campaignId: string | null; eventId: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: typeof items; nextCursor: string | null } = (
        await t.http
          .get(path)
          .query({ reason, limit: 2, ...(cursor ? { cursor } : {}) })
          .set(auth(staff.compliance.token))
          .expect(200)
      ).body;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    // Every message of the investor's inbox is listed, campaign messages among them.
    const inbox = (await t.http.get('/me/inbox?limit=100').set(auth(investor.token)).expect(200)).body.items as { messageId: string }[];
    expect(inbox.length).toBeGreaterThan(0);
    expect(items.map((item) => item.messageId)).toEqual(expect.arrayContaining(inbox.map((m) => m.messageId)));
    expect(items.some((item) => item.campaignId !== null)).toBe(true);
    // Each names the event that sent it: a batch lists this investor with this message id.
    const db = t.app.get(DataSource);
    for (const item of items) {
      const [event] = await db.query(`SELECT type, data FROM events WHERE event_id = $1`, [item.eventId]);
      if (event.type === 'reach.BatchSent')
        expect(event.data.sent).toContainEqual(expect.objectContaining({ investorId: investor.userId, messageId: item.messageId }));
      else expect(event).toMatchObject({ type: 'reach.MessageSent', data: { investorId: investor.userId, messageId: item.messageId } });
    }
    const batch = items.find((item) => item.campaignId !== null)!;
    await t.http.post('/audit/checkpoints').set(auth(staff.compliance.token)).expect(201);
    const proof = await t.http
      .get('/audit/proofs/inclusion')
      .query({ eventId: batch.eventId, reason })
      .set(auth(staff.compliance.token))
      .expect(200);
    expect(JSON.stringify(proof.body)).toContain(batch.eventId);
    // E5: who read whose messages, and why.
    const accesses = await db.query(
      `SELECT data FROM events WHERE type = 'audit.EvidenceAccessed' AND data->>'kind' = 'investor_messages' AND data->'subject'->>'investorId' = $1`,
      [investor.userId],
    );
    expect(accesses.length).toBeGreaterThan(0);
    expect(accesses[0].data).toMatchObject({ reason, actorId: staff.compliance.userId });

    // The migration that added the column fills it from the log alone: taken back and applied again, the same events.
    const before = await db.query(`SELECT message_id, event_id::text AS event_id FROM reach_messages ORDER BY message_id`);
    expect(before.length).toBeGreaterThan(investors.length);
    expect(before.filter((row: { event_id: string | null }) => row.event_id === null)).toEqual([]);
    const Migration = loadMigrations().find((candidate) => candidate.name === 'ReachMessageEvents1766600000000');
    const migration = new Migration!() as { up(q: QueryRunner): Promise<void>; down(q: QueryRunner): Promise<void> };
    const runner = db.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await db.query(`SELECT message_id, event_id::text AS event_id FROM reach_messages ORDER BY message_id`)).toEqual(before);
  });

  it('G2: counters of weeks before last week are dropped by the scheduler once a Beijing day; this week’s and last week’s stay', async () => {
    const db = t.app.get(DataSource);
    // Nine weeks after the campaigns above (a Wednesday): its week starts on Monday 2027-02-01.
    const later = new Date(MORNING.getTime() + 63 * DAY);
    const investor = `prune-${randomUUID()}`;
    const weeks = ['2027-02-01', '2027-01-25', '2027-01-18', '2026-12-28'];
    for (const week of weeks)
      await db.query(
        `INSERT INTO reach_cap_counters (investor_id, channel, week, week_count, day, day_count) VALUES ($1, 'in_app', $2::date, 1, $2::date, 1)`,
        [investor, week],
      );
    const left = async () =>
      (
        await db.query(`SELECT to_char(week, 'YYYY-MM-DD') AS week FROM reach_cap_counters WHERE investor_id = $1 ORDER BY week DESC`, [
          investor,
        ])
      ).map((row: { week: string }) => row.week);
    await t.app.get(CampaignRunner).tick(later);
    expect(await left()).toEqual(['2027-02-01', '2027-01-25']);
    // Once a day: a row of an old week written after today's pruning stays until tomorrow's.
    await db.query(
      `INSERT INTO reach_cap_counters (investor_id, channel, week, week_count, day, day_count) VALUES ($1, 'in_app', '2027-01-11', 1, '2027-01-11', 1)`,
      [investor],
    );
    await t.app.get(CampaignRunner).tick(new Date(later.getTime() + 3_600_000));
    expect(await left()).toEqual(['2027-02-01', '2027-01-25', '2027-01-11']);
    await t.app.get(CampaignRunner).tick(new Date(later.getTime() + DAY));
    expect(await left()).toEqual(['2027-02-01', '2027-01-25']);
  });
});

describe('reach: compliance of messages about advisory products (G3, G4, V2, SM 22(3))', () => {
  let t: TestApp;
  let staff: Staff;
  let r3: string;
  let level2: string;
  /** An investor with an advisory account assessed with these answers, consenting to in-app messages. */
  const assessedInvestor = async (answers: Record<string, string>) => {
    const investor = await t.register();
    await openAssessedAccount(t, investor.token, answers);
    await consentTo(t, investor.token, 'in_app');
    return investor;
  };
  const about = (investorId: string, extra: Record<string, unknown> = {}) => ({
    investorId,
    channel: 'in_app',
    title: '组合策略',
    body: '价值精选组合本季度调仓说明。投资有风险。',
    productId: r3,
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp({ REACH_TICK_MS: '0' });
    t.clock.set(MORNING);
    staff = await registerStaff(t);
    r3 = await publishListing(t, staff, advisoryListing());
    level2 = await publishListing(t, staff, level2Listing());
  });
  afterAll(() => t.close());

  it('G3 (SM 22(3)): a message about an R3 product to a C2 investor is refused, naming the rule', async () => {
    const c2 = await assessedInvestor(ANSWERS.C2);
    const refused = await t.http.post('/reach/messages').set(auth(staff.pm.token)).send(about(c2.userId)).expect(422);
    expect(refused.body).toMatchObject({ code: 'REACH.ABOVE_RISK_LEVEL', rule: 'G3' });
    expect(refused.body.message).toContain('SM 22(3)');
  });

  it('G3: never to the lowest category', async () => {
    const lowest = await assessedInvestor(LOWEST_ANSWERS);
    const refused = await t.http.post('/reach/messages').set(auth(staff.pm.token)).send(about(lowest.userId)).expect(422);
    expect(refused.body).toMatchObject({ code: 'REACH.LOWEST_CATEGORY', rule: 'G3' });
  });

  it('G3 / V2: never with an incentive, even to a matched investor; a value-added product may carry one', async () => {
    const c3 = await assessedInvestor(ANSWERS.C3);
    const refused = await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send(about(c3.userId, { incentive: { kind: 'points', reference: '200' } }))
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'REACH.INCENTIVE_ON_ADVISORY', rule: 'V2' });
    await t.http
      .post('/reach/messages')
      .set(auth(staff.pm.token))
      .send(
        about(c3.userId, {
          productId: level2,
          title: 'Level-2 优惠',
          body: 'Level-2 行情首月优惠',
          incentive: { kind: 'coupon', reference: 'L2NEW' },
        }),
      )
      .expect(201);
  });

  it('G4 / A5: a message about an advisory product to a matched investor is recorded as a contact on the investor’s advisory stream', async () => {
    const c4 = await assessedInvestor(ANSWERS.C4);
    const sent = await t.http.post('/reach/messages').set(auth(staff.pm.token)).send(about(c4.userId)).expect(201);
    const stream = await t.app.get(PgEventStore).readStream(`advisory.investor-${c4.userId}`);
    const contacts = stream.filter((event) => event.type === 'advisory.InvestorContacted');
    expect(contacts.map((event) => event.data)).toEqual([
      expect.objectContaining({ productId: r3, source: 'push', reference: sent.body.messageId }),
    ]);
    // The matching opinion now sees the firm's contact: the purchase would not be investor-initiated (A5).
    const matched = await t.http
      .post('/advisory/engagements')
      .set(auth(c4.token))
      .send({ productId: r3, initiatedBy: 'investor' })
      .expect(201);
    expect(JSON.stringify(matched.body)).toContain('push');
  });

  it('G3, G4: a campaign about an advisory product reaches only the matched, counts the refusals by rule, and attributes every contact', async () => {
    t.clock.set(new Date(MORNING.getTime() + 2 * 3_600_000));
    const matched = await assessedInvestor(ANSWERS.C5);
    const created = await t.http
      .post('/reach/campaigns')
      .set(auth(staff.pm.token))
      .send({
        name: '策略介绍',
        segment: { kind: 'all_investors' },
        channel: 'in_app',
        template: { title: '组合策略', body: '价值精选组合介绍。投资有风险。', productId: r3 },
        schedule: { kind: 'once' },
        controlPercent: 0,
        outcome: { kind: 'stage', productKind: 'stock_picking_strategy', stage: 'transacted', days: 7 },
      })
      .expect(201);
    await t.http.post(`/reach/campaigns/${created.body.campaignId}/run`).set(auth(staff.pm.token)).expect(200);
    await t.catchUp();
    const report = (await t.http.get(`/reach/campaigns/${created.body.campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    expect(report.reach.refused).toMatchObject({ 'REACH.ABOVE_RISK_LEVEL': 1, 'REACH.LOWEST_CATEGORY': 1 });
    const listing = (await t.http.get(`/reach/compliance/products/${r3}/messages`).set(auth(staff.compliance.token)).expect(200)).body;
    const fromCampaign = listing.items.filter((item: { campaignId: string | null }) => item.campaignId === created.body.campaignId);
    expect(fromCampaign.map((item: { investorId: string }) => item.investorId)).toContain(matched.userId);
    expect(report.reach.sent).toBe(fromCampaign.length);
    for (const item of fromCampaign) {
      const stream = await t.app.get(PgEventStore).readStream(`advisory.investor-${item.investorId}`);
      expect(
        stream.some(
          (event) =>
            event.type === 'advisory.InvestorContacted' &&
            event.data.source === 'campaign' &&
            event.data.reference === created.body.campaignId,
        ),
      ).toBe(true);
    }
  });

  it('G4: compliance lists every message sent about a product, page by page; nobody else may', async () => {
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { messageId: string; productId?: string }[]; nextCursor: string | null } } = await t.http
        .get(`/reach/compliance/products/${r3}/messages?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .set(auth(staff.compliance.token))
        .expect(200);
      all.push(...page.body.items.map((item) => item.messageId));
      cursor = page.body.nextCursor;
    } while (cursor);
    const whole = (await t.http.get(`/reach/compliance/products/${r3}/messages?limit=200`).set(auth(staff.compliance.token)).expect(200))
      .body;
    expect(all).toEqual(whole.items.map((item: { messageId: string }) => item.messageId));
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(all.length);
    await t.http.get(`/reach/compliance/products/${r3}/messages`).set(auth(staff.pm.token)).expect(403);
  });
});

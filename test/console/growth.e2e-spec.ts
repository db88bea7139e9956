/**
 * The growth pages in a real browser against the real application on PostgreSQL, with the demo data and seeded app
 * activity: the product team's dashboard (the MAU decomposition equal to the API's), a campaign refused by the content
 * guard with its rule shown, fixed and run, and an investor at phone width reading the campaign's message, checking in,
 * seeing points and redeeming them; axe-core's critical findings on each page; screenshots under docs/console.
 */
import { readFileSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { seedDemo } from '../../apps/cli/src/demo/seed-demo';
import { ConsoleRun, criticalA11y, shoot, signIn, startConsole } from './browser';

jest.setTimeout(180_000);

const MOBILE = { width: 390, height: 844 };
const PASSWORD = 'a-long-enough-password';
const DAY_MS = 86_400_000;

/** Polls until `check` holds (playwright-core has no test runner's web-first assertions). */
const eventually = async (what: string, check: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
const textOf = async (locator: Locator) => ((await locator.count()) ? ((await locator.first().textContent()) ?? '') : '');
const seeText = (locator: Locator, expected: string | RegExp) =>
  eventually(`text ${String(expected)}`, async () => {
    const text = await textOf(locator);
    return typeof expected === 'string' ? text.includes(expected) : expected.test(text);
  });

describe('web console: growth, campaigns, inbox and points (browser)', () => {
  let run: ConsoleRun;
  let pm: { email: string; password: string; token: string };
  let reader: { userId: string; email: string };
  let advisoryProduct: string;
  let officer: { email: string; password: string };

  const login = async (email: string, password = PASSWORD) =>
    (await run.t.http.post('/auth/login').send({ email, password }).expect(200)).body.accessToken as string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const activity = (token: string, type: string, at: Date) =>
    run.t.http
      .post('/me/activity')
      .set(bearer(token))
      .send({ events: [{ clientEventId: `${type}-${at.toISOString()}`, type, at: at.toISOString() }] })
      .expect(200);
  const consenting = async () => {
    const investor = await run.t.register();
    await run.t.http.put('/me/analytics-consent').set(bearer(investor.token)).send({ given: true }).expect(200);
    return investor;
  };
  const noCriticalA11y = async (page: Page) => expect(await criticalA11y(page)).toEqual([]);

  beforeAll(async () => {
    // No quiet hours, so the campaign runs whatever the hour the suite runs at (the deferral is reach's own tests').
    run = await startConsole({ REACH_QUIET_HOURS: '00:00-00:00', GROWTH_ACTIVITY_RETENTION_DAYS: '400' });
    const { staff, listings } = await seedDemo(run.t.app, run.baseUrl);
    const advisory = listings.find((listing) => listing.title === '价值精选组合');
    if (!advisory) throw new Error('no demo advisory product');
    advisoryProduct = advisory.listingId;
    const demoPm = staff.find((member) => member.role === 'product_manager');
    if (!demoPm?.password) throw new Error('no demo product manager');
    pm = { email: demoPm.email, password: demoPm.password, token: await login(demoPm.email, demoPm.password) };
    const demoOfficer = staff.find((member) => member.role === 'compliance_officer');
    if (!demoOfficer?.password) throw new Error('no demo compliance officer');
    officer = { email: demoOfficer.email, password: demoOfficer.password };

    // Seeded activity: three investors registered 70 days ago (before this month), one today. Last month a and b were
    // active; this month b (retained), c (returned: registered before, not active last month) and d (new).
    const now = Date.now();
    run.t.clock.set(new Date(now - 70 * DAY_MS));
    const [a, b, c] = [await consenting(), await consenting(), await consenting()];
    run.t.clock.reset();
    const d = await consenting();
    const beijingNow = new Date(now + 8 * 3_600_000);
    const lastMonthMid = new Date(Date.UTC(beijingNow.getUTCFullYear(), beijingNow.getUTCMonth() - 1, 15, 4));
    const thisMonth = new Date(
      Math.max(now - 60_000, Date.UTC(beijingNow.getUTCFullYear(), beijingNow.getUTCMonth(), 1) - 8 * 3_600_000 + 60_000),
    );
    for (const investor of [a, b]) await activity(await login(investor.email), 'watchlist_viewed', lastMonthMid);
    for (const investor of [b, c]) await activity(await login(investor.email), 'positions_viewed', thisMonth);
    await activity(d.token, 'watchlist_viewed', thisMonth);

    // The investor who reads the campaign's message: in-app messages and analytics consented (the check-in reads the
    // sign-in the console reports), and 600 welcome points from a campaign budget.
    const investor = await consenting();
    reader = { userId: investor.userId, email: investor.email };
    await run.t.http.put('/me/reach/consents/in_app').set(bearer(investor.token)).send({ granted: true }).expect(200);
    await run.t.http
      .post('/rewards/campaigns/welcome/budget')
      .set(bearer(pm.token))
      .send({ points: 10_000, money: { amountMinor: 0, currency: 'CNY' } })
      .expect(201);
    await run.t.http
      .post('/rewards/campaigns/welcome/awards')
      .set(bearer(pm.token))
      .send({ investorId: investor.userId, awardId: `welcome-${investor.userId}`, points: 600 })
      .expect(201);
  });
  afterAll(async () => run?.close());

  it('product team: the growth dashboard shows the MAU decomposition the API gives, with the definition used, and its CSV', async () => {
    const { page } = await run.newPage();
    await signIn(page, run.baseUrl, pm.email, pm.password);
    await page.goto(`${run.baseUrl}/console/#/product/growth`);
    const mauCard = page.locator('.growth-mau');
    await mauCard.locator('[data-metric=mau] .value').waitFor();
    const month = await page.locator('input[name=month]').inputValue();
    const api = (await run.t.http.get(`/growth/mau?month=${month}-01`).set(bearer(pm.token)).expect(200)).body;
    expect(api).toMatchObject({ retained: 1, new: 1, returned: 1, churned: 1, identityHolds: true });
    for (const metric of ['mau', 'mauLastMonth', 'retained', 'new', 'returned', 'churned'])
      expect({ metric, shown: (await textOf(mauCard.locator(`[data-metric=${metric}] .value`))).trim() }).toEqual({
        metric,
        shown: String(api[metric]),
      });
    await seeText(mauCard.locator('.identity'), '恒等式成立');
    await seeText(mauCard.locator('.definitions'), `v${api.definitions[0].version}`);
    await page.locator('.growth-active [data-metric=dau] .value').waitFor();
    await page.locator('.growth-funnel table, .growth-funnel .empty').first().waitFor();
    await page.locator('.growth-rfm .recharts-surface, .growth-rfm .empty').first().waitFor();
    // The charts come after the figures and tables (the chart library is loaded then): all drawn before the checks.
    await eventually('every chart drawn', async () => (await page.locator('.growth .chart-pending').count()) === 0);
    expect(await page.locator('.growth figure.chart .recharts-wrapper').count()).toBe(5);
    await noCriticalA11y(page);
    await shoot(page, 'product-growth');

    const [download] = await Promise.all([page.waitForEvent('download'), mauCard.getByRole('button', { name: /下载 CSV/ }).click()]);
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(csv[0]).toBe('month,mau,lastMonth,mauLastMonth,retained,new,returned,churned,identityHolds,definitions');
    expect(csv[1]).toContain(`,${api.retained},${api.new},${api.returned},${api.churned},true,`);

    // In English too.
    await page.getByLabel(/语言|Language/).selectOption('en');
    await page.getByRole('heading', { name: 'Monthly active users: where this month’s come from' }).waitFor();
    await seeText(mauCard.locator('[data-metric=churned] dt'), 'Churned (active last month, not this month)');
    await seeText(page.locator('.growth-funnel caption, .growth-funnel .empty').first(), /Conversion funnel|Nothing here yet/);
    await page.getByLabel(/语言|Language/).selectOption('zh');
  });

  it('product team: a campaign refused by the content guard (V3) and for an incentive on an advisory product (V2) shows the rule, then fixed, created, run and reported', async () => {
    const { page } = await run.newPage();
    await signIn(page, run.baseUrl, pm.email, pm.password);
    await page.goto(`${run.baseUrl}/console/#/product/campaigns`);
    const editor = page.locator('form.campaign-editor');
    await editor.getByLabel('名称').fill('回访提醒');
    await editor.getByLabel('消息标题').fill('稳赚不赔的机会');
    await editor.getByLabel('消息正文').fill('打开自选股看看您关注的股票。投资有风险。');
    await editor.getByLabel('对照组（留出比例 %）').fill('0');
    // The finding shows while typing, before anything is sent.
    await seeText(editor.locator('.findings'), '稳赚');
    await editor.getByRole('button', { name: '创建活动' }).click();
    const refusal = editor.getByRole('alert');
    await seeText(refusal, 'CONTENT.PROHIBITED_PHRASE');
    await seeText(refusal.locator('.rule'), 'V3');
    await noCriticalA11y(page);
    // The findings above, the refusal below: both in the picture.
    await page.evaluate(`document.querySelector('.campaign-editor [role=alert]').scrollIntoView({ block: 'center' })`);
    await shoot(page, 'product-campaign-refused');

    await editor.getByLabel('消息标题').fill('本周市场回顾已更新');
    await editor.locator('.findings-none').waitFor();
    // V2: no incentive with a message about an advisory product.
    await editor.getByLabel('涉及产品（可选）').fill(advisoryProduct);
    await editor.locator('select[name=incentive]').selectOption('points');
    await editor.locator('input[name=incentiveRef]').fill('100');
    await editor.getByRole('button', { name: '创建活动' }).click();
    await seeText(refusal, 'REACH.INCENTIVE_ON_ADVISORY');
    await seeText(refusal.locator('.rule'), 'V2');
    await editor.getByLabel('涉及产品（可选）').fill('');
    await editor.locator('select[name=incentive]').selectOption('');
    await editor.getByRole('button', { name: '创建活动' }).click();
    const campaign = page.locator('section.campaign');
    await seeText(campaign.locator('h3'), '回访提醒');
    await campaign.getByRole('button', { name: '立即执行' }).click();
    await seeText(campaign.locator('.campaign-status'), 'completed');
    await eventually('the report to count the reader', async () => {
      await campaign.getByRole('button', { name: '刷新' }).click();
      return Number((await textOf(campaign.locator('[data-metric=sent] .value'))) || 0) >= 1;
    });
    // The outcome against the control group, drawn by the lazily loaded chart component.
    await campaign.locator('figure.chart .recharts-wrapper').waitFor();
    await noCriticalA11y(page);
    await campaign.locator('.campaign-report').scrollIntoViewIfNeeded();
    await shoot(page, 'product-campaign-report');
  });

  it('investor at phone width: reads the message in the inbox, unsubscribes in one tap, checks in, sees points, predicts, redeems', async () => {
    const { page } = await run.newPage(MOBILE);
    // Signing in through the console reports the login the check-in rule (CHECKIN-LOGIN) reads.
    await signIn(page, run.baseUrl, reader.email, PASSWORD);
    await page.goto(`${run.baseUrl}/console/#/investor/inbox`);
    const message = page.locator('li.message', { hasText: '本周市场回顾已更新' });
    await eventually('the message in the inbox', async () => {
      if (await message.count()) return true;
      await page.reload();
      await page.locator('.inbox').waitFor();
      return false;
    });
    await seeText(message.locator('.message-state'), '未读');
    await message.getByRole('button', { name: '本周市场回顾已更新', exact: true }).click();
    await seeText(message.locator('.message-body'), '打开自选股');
    await seeText(message.locator('.message-state'), '已读');
    const inApp = page.locator('.consent[data-channel=in_app]');
    await seeText(inApp.locator('.consent-state'), '已同意');
    await noCriticalA11y(page);
    await shoot(page, 'investor-inbox');
    await inApp.getByRole('button', { name: '一键退订站内信' }).click();
    await seeText(inApp.locator('.consent-state'), '未同意');
    const consents = (
      await run.t.http
        .get('/me/reach/consents')
        .set(bearer(await login(reader.email)))
        .expect(200)
    ).body;
    expect(consents.channels.find((channel: { channel: string }) => channel.channel === 'in_app')).toMatchObject({
      granted: false,
      via: 'unsubscribe_link',
    });

    await page.getByRole('link', { name: '签到与积分' }).click();
    await seeText(page.locator('.balance'), '600');
    // The consent as it stands, with only the change that applies to it.
    const analytics = page.locator('.analytics-consent');
    await seeText(analytics.getByRole('status'), '行为分析同意：已同意');
    expect(await analytics.getByRole('button', { name: '同意行为分析' }).count()).toBe(0);
    await page.getByRole('button', { name: '今日签到' }).click();
    await seeText(page.locator('.checked-in .streak'), '连续签到 1 天');
    await seeText(page.locator('.balance'), '610');
    await noCriticalA11y(page);
    await shoot(page, 'investor-points');
    await page.getByRole('button', { name: /涨/ }).first().click();
    await seeText(page.locator('.prediction'), '000300.SH');
    await page.locator('.up-down').scrollIntoViewIfNeeded();
    await shoot(page, 'investor-up-down');

    await page.locator('input[name=optionId][value=cny-5]').check();
    await page.getByRole('button', { name: '兑换', exact: true }).click();
    await seeText(page.locator('.coupon'), '立减 ¥5.00');
    await seeText(page.locator('.balance'), '110');
    await page.locator('.coupon').scrollIntoViewIfNeeded();
    await noCriticalA11y(page);
    await shoot(page, 'investor-redeem');

    await analytics.getByRole('button', { name: '撤回行为分析同意' }).click();
    await seeText(analytics.getByRole('status'), '行为分析同意：已撤回');
    await analytics.getByRole('button', { name: '同意行为分析' }).waitFor();
    expect(
      (
        await run.t.http
          .get('/me/analytics-consent')
          .set(bearer(await login(reader.email)))
          .expect(200)
      ).body.analytics,
    ).toBe('withdrawn');
  });
  it('compliance officer: the investor’s file lists the messages sent to them, each with the event that sent it, the reason asked first (E5)', async () => {
    const { page } = await run.newPage();
    await signIn(page, run.baseUrl, officer.email, officer.password);
    await page.goto(`${run.baseUrl}/console/#/compliance/investorFile/${reader.userId}`);
    await page.getByLabel('理由').fill('complaint 2026-412');
    await page.getByRole('button', { name: '继续' }).click();
    const row = page.locator('.sent-messages tbody tr', { hasText: '本周市场回顾已更新' });
    await row.waitFor();
    await seeText(row, '站内信');
    await seeText(row, '已打开');
    expect((await row.locator('code').last().textContent())?.trim()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    await noCriticalA11y(page);
  });
});

/**
 * The console's compliance and admin pages added after the first release, in a real browser against the real
 * application: professional-investor applications in the review queue, an admin's sessions, community moderation.
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { seedDemo } from '../../apps/cli/src/demo/seed-demo';
import { ConsoleRun, criticalA11y, shoot, signIn, startConsole } from './browser';

jest.setTimeout(180_000);

const PASSWORD = 'a-long-enough-password';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('web console: compliance and admin operations (browser)', () => {
  let run: ConsoleRun;
  let staff: Awaited<ReturnType<typeof seedDemo>>['staff'];

  beforeAll(async () => {
    run = await startConsole();
    ({ staff } = await seedDemo(run.t.app, run.baseUrl));
  });
  afterAll(async () => run?.close());

  const account = (role: string) => {
    const found = staff.find((member) => member.role === role);
    if (!found?.password) throw new Error(`no demo ${role}`);
    return found as { email: string; password: string; userId: string };
  };
  const noCriticalA11y = async (page: Page) => expect(await criticalA11y(page)).toEqual([]);
  const register = async (name: string) => {
    const email = `${name}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const registered = await run.t.http
      .post('/auth/register')
      .send({ email, password: PASSWORD, displayName: name, dateOfBirth: '1985-06-14' })
      .expect(201);
    return { email, userId: registered.body.userId as string, token: registered.body.accessToken as string };
  };

  it('compliance: a professional-investor application in the review queue with its evidence and maker-checker, approved from the browser', async () => {
    const investor = await register('professional');
    const consent = (await run.t.http.get('/advisory/documents').set(bearer(investor.token))).body.find(
      (doc: { kind: string; current: boolean }) => doc.kind === 'sensitive_data_consent' && doc.current,
    );
    await run.t.http
      .post('/advisory/account')
      .set(bearer(investor.token))
      .send({
        legalName: '张专业',
        nationalId: '110105198506140027',
        mobile: '13912345670',
        sensitiveDataConsent: true,
        consentTextHash: consent.contentHash,
        profile: {
          occupation: 'engineer',
          incomeBand: '100k_500k',
          assetsBand: '500k_3m',
          experienceYears: 6,
          objectives: { goal: 'growth', varieties: ['equities', 'funds'], horizon: 'long' },
        },
      })
      .expect(201);
    const evidenceHash = 'e'.repeat(64);
    const applied = await run.t.http
      .post('/advisory/account/professional-applications')
      .set(bearer(investor.token))
      .send({
        financialAssetsMinor: 600_000_000,
        experienceYears: 6,
        documents: [{ kind: 'brokerage_statement', contentHash: evidenceHash }],
      })
      .expect(201);
    await run.t.catchUp();

    const officer = account('compliance_officer');
    const { page } = await run.newPage();
    await signIn(page, run.baseUrl, officer.email, officer.password);
    await page.goto(`${run.baseUrl}/console/#/compliance/review`);
    const card = page.locator(`.professional .card[data-application="${applied.body.applicationId}"]`);
    await card.waitFor();
    await card.locator('.evidence-documents', { hasText: evidenceHash }).waitFor();
    await card.locator('.maker-checker', { hasText: investor.userId }).waitFor();
    expect(await card.textContent()).toContain('brokerage_statement');
    expect(await card.textContent()).toContain('6,000,000.00');
    await noCriticalA11y(page);
    await card.scrollIntoViewIfNeeded();
    await shoot(page, 'compliance-professional-applications');
    await card.getByRole('button', { name: '通过' }).click();
    await page.locator('.professional-done').waitFor();
    await card.waitFor({ state: 'detached' });
    const account2 = await run.t.http.get('/advisory/account').set(bearer(investor.token)).expect(200);
    expect(account2.body.classification).toBe('professional');
  });

  it('investor at phone width: applies to be professional with an evidence file, sent as the SHA-256 computed in the browser', async () => {
    const investor = await register('applicant');
    const consent = (await run.t.http.get('/advisory/documents').set(bearer(investor.token))).body.find(
      (doc: { kind: string; current: boolean }) => doc.kind === 'sensitive_data_consent' && doc.current,
    );
    await run.t.http
      .post('/advisory/account')
      .set(bearer(investor.token))
      .send({
        legalName: '李申请',
        nationalId: '110105198506140027',
        mobile: '13912345671',
        sensitiveDataConsent: true,
        consentTextHash: consent.contentHash,
        profile: {
          occupation: 'engineer',
          incomeBand: '100k_500k',
          assetsBand: '500k_3m',
          experienceYears: 4,
          objectives: { goal: 'growth', varieties: ['equities'], horizon: 'long' },
        },
      })
      .expect(201);
    const { page } = await run.newPage({ width: 390, height: 844 });
    await signIn(page, run.baseUrl, investor.email, PASSWORD);
    await page.goto(`${run.baseUrl}/console/#/investor/advisory`);
    await page.getByText('申请成为专业投资者（A2）').click();
    await page.getByLabel('金融资产（元）').fill('6000000');
    await page.getByLabel('投资经验年数').fill('4');
    const statement = Buffer.from('券商对账单 2026-11: 资产合计 6,000,000.00 元');
    await page.getByLabel('证明材料').setInputFiles({ name: 'statement.txt', mimeType: 'text/plain', buffer: statement });
    const hash = createHash('sha256').update(statement).digest('hex');
    await page.locator('.evidence-documents', { hasText: hash }).waitFor();
    await noCriticalA11y(page);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.locator('.professional-status').waitFor();
    await run.t.catchUp();
    const officer = (
      await run.t.http
        .post('/auth/login')
        .send({ email: account('compliance_officer').email, password: account('compliance_officer').password })
    ).body.accessToken as string;
    const pending = (await run.t.http.get('/staff/advisory/professional-applications').set(bearer(officer)).expect(200)).body;
    expect(pending.find((a: { investorId: string }) => a.investorId === investor.userId)).toMatchObject({
      evidence: { financialAssetsMinor: 600_000_000, experienceYears: 4, documents: [{ kind: 'brokerage_statement', contentHash: hash }] },
    });
  });

  it('admin: a user’s active sessions with their devices; one ended (its token refused, the other still valid), then all', async () => {
    const advisor = account('advisor');
    const login = async (userAgent: string) =>
      (
        await run.t.http
          .post('/auth/login')
          .set('User-Agent', userAgent)
          .send({ email: advisor.email, password: advisor.password })
          .expect(200)
      ).body.accessToken as string;
    const phone = await login('DemoPhone/1.0 (Android 15)');
    const laptop = await login('DemoLaptop/2.0 (X11; Linux x86_64)');
    await run.t.catchUp();

    const admin = account('admin');
    const { page } = await run.newPage();
    await signIn(page, run.baseUrl, admin.email, admin.password);
    await page.goto(`${run.baseUrl}/console/#/admin/users`);
    await page.locator('tr', { hasText: advisor.email }).getByRole('link', { name: '会话' }).click();
    const phoneRow = page.locator('tr', { hasText: 'DemoPhone/1.0' });
    await phoneRow.waitFor();
    await page.locator('tr', { hasText: 'DemoLaptop/2.0' }).waitFor();
    await noCriticalA11y(page);
    await shoot(page, 'admin-sessions');

    await phoneRow.getByRole('button', { name: '结束此会话' }).click();
    await page.locator('.sessions-done').waitFor();
    await phoneRow.waitFor({ state: 'detached' });
    expect((await run.t.http.get('/me').set(bearer(phone)).expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    await run.t.http.get('/me').set(bearer(laptop)).expect(200);

    await page.getByRole('button', { name: '结束该用户的全部会话' }).click();
    await page.getByText('没有有效会话。').waitFor();
    await run.t.http.get('/me').set(bearer(laptop)).expect(401);
  });

  it('moderation: a group moderator and a compliance officer work the reports (warn, hide with a reason); compliance sees the refused stock tip with its rule and the group’s actions', async () => {
    const owner = await register('owner');
    const troll = await register('troll');
    const reporter = await register('reporter');
    const groupId = (
      await run.t.http
        .post('/community/groups')
        .set(bearer(owner.token))
        .send({
          name: '指数定投学习营',
          topic: 'learning_path',
          joining: 'open',
          welcome: { introduction: '欢迎！本群交流投资知识，不荐股。', firstTask: '完成风险测评' },
        })
        .expect(201)
    ).body.groupId as string;
    for (const member of [troll, reporter])
      await run.t.http.post(`/community/groups/${groupId}/join`).set(bearer(member.token)).expect(200);
    const spam = await run.t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(bearer(troll.token))
      .send({ body: '加我好友领福利' })
      .expect(201);
    await run.t.http.post(`/community/posts/${spam.body.postId}/reports`).set(bearer(reporter.token)).send({ reason: '广告' }).expect(201);
    const tip = await run.t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(bearer(troll.token))
      .send({ body: '明天开盘买入 600519，目标价 2000！' })
      .expect(422);
    expect(tip.body.rule).toBe('V1');
    await run.t.catchUp();

    // The group's owner moderates from the investor pages: their group's reports only.
    const { page: ownerPage } = await run.newPage();
    await signIn(ownerPage, run.baseUrl, owner.email, PASSWORD);
    await ownerPage.goto(`${run.baseUrl}/console/#/investor/moderation`);
    const ownerCard = ownerPage.locator(`.reports .card[data-post="${spam.body.postId}"]`);
    await ownerCard.waitFor();
    await ownerPage.getByLabel('理由（随处理动作记录）').fill('引流广告，首次警告');
    await ownerCard.getByRole('button', { name: '警告作者' }).click();
    await ownerPage.locator('.moderation-done').waitFor();
    expect(await ownerPage.locator('.community-evidence').count()).toBe(0);

    const officer = account('compliance_officer');
    const { page } = await run.newPage();
    await signIn(page, run.baseUrl, officer.email, officer.password);
    await page.goto(`${run.baseUrl}/console/#/compliance/moderation`);
    const card = page.locator(`.reports .card[data-post="${spam.body.postId}"]`);
    await card.waitFor();
    expect(await card.locator('.report-reason').textContent()).toBe('广告');
    const refused = page.locator('.community-evidence tr', { hasText: '600519' });
    await refused.locator('.refusal', { hasText: 'COMMUNITY.UNLICENSED_ADVICE' }).waitFor();
    expect(await refused.locator('.rule').textContent()).toBe('V1');
    await noCriticalA11y(page);
    await shoot(page, 'compliance-moderation');

    await page.getByLabel('理由（随处理动作记录）').fill('广告引流');
    await card.getByRole('button', { name: '隐藏帖子' }).click();
    await page.locator('.moderation-done').waitFor();
    await page
      .locator('.community-evidence tr', { hasText: '加我好友领福利' })
      .getByRole('button', { name: '查看该群组的处理记录' })
      .click();
    const actions = page.locator('table', { hasText: '广告引流' });
    await actions.waitFor();
    expect(await actions.locator('.action-kind').allTextContents()).toEqual(expect.arrayContaining(['warn', 'hide']));
    // Members never see the hidden post.
    expect((await run.t.http.get(`/community/groups/${groupId}/feed`).set(bearer(reporter.token)).expect(200)).body.items).toEqual([]);
  });
});

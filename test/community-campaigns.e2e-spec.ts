import { PgEventStore } from '@app/event-store';
import { createTestApp, TestApp } from './support/app';
import { advisoryListing, auth, openAssessedAccount, publishListing, registerStaff, Staff } from './marketplace/fixtures';
import { ANSWERS } from '../libs/advisory/src/domain/testing/fixtures';

/** Wednesday 2026-12-02, 10:00 in Beijing: outside quiet hours. */
const MORNING = new Date('2026-12-02T02:00:00.000Z');

/** A host's message to their group goes through reach's campaign path: G1 consent, G2 caps/quiet hours, G3 suitability, G4 attribution. */
describe('community: hosts message their group only through the reach rules (G1–G4, e2e)', () => {
  let t: TestApp;
  let staff: Staff;
  let r3: string;
  beforeAll(async () => {
    t = await createTestApp({ REACH_TICK_MS: '0' });
    t.clock.set(MORNING);
    staff = await registerStaff(t);
    r3 = await publishListing(t, staff, advisoryListing());
  });
  afterAll(() => t.close());

  const consentTo = (token: string, channel = 'in_app') =>
    t.http.put(`/me/reach/consents/${channel}`).set(auth(token)).send({ granted: true }).expect(200);
  const assess = (investor: { token: string }, answers: Record<string, string>) => openAssessedAccount(t, investor.token, answers);
  const inbox = async (token: string) => (await t.http.get('/me/inbox').set(auth(token)).expect(200)).body.items as { title: string }[];

  it('a host’s campaign reaches opted-in members only; about an advisory product, only members it suits, the others refused by rule (G3) and every contact attributed (G4)', async () => {
    const owner = await t.register('investor');
    const group = await t.http
      .post('/community/groups')
      .set(auth(owner.token))
      .send({ name: '价值投资交流', topic: 'interest', joining: 'open', welcome: { introduction: '欢迎', firstTask: '自我介绍' } })
      .expect(201);
    const groupId = group.body.groupId as string;
    const host = await t.register('investor');
    const optedIn = await t.register('investor');
    const silent = await t.register('investor');
    const suited = await t.register('investor');
    const unsuited = await t.register('investor');
    const outsider = await t.register('investor');
    for (const u of [host, optedIn, silent, suited, unsuited])
      await t.http.post(`/community/groups/${groupId}/join`).set(auth(u.token)).expect(200);
    for (const u of [optedIn, suited, unsuited, outsider]) await consentTo(u.token);
    await assess(suited, ANSWERS.C5);
    await assess(unsuited, ANSWERS.C2);
    await t.http.post('/community/hosts').set(auth(host.token)).send({ kind: 'kol', displayName: '价投老周' }).expect(201);
    await t.http.put(`/community/groups/${groupId}/members/${host.userId}/role`).set(auth(owner.token)).send({ role: 'host' }).expect(200);

    const send = (token: string, body: Record<string, unknown>) =>
      t.http.post(`/community/groups/${groupId}/campaigns`).set(auth(token)).send(body);
    // Members who are neither owner nor host do not message the group.
    expect((await send(optedIn.token, { channel: 'in_app', title: 'hi', body: '大家好' }).expect(403)).body.code).toBe(
      'COMMUNITY.CAMPAIGN_SENDER_REQUIRED',
    );
    // The content guard (V3) refuses the message itself.
    expect((await send(host.token, { channel: 'in_app', title: '稳赚', body: '跟我买稳赚不赔' }).expect(422)).body).toMatchObject({
      code: 'CONTENT.PROHIBITED_PHRASE',
      rule: 'V3',
    });

    // A plain message: every opted-in member, nobody without consent (G1), nobody outside the group.
    const plain = await send(host.token, {
      channel: 'in_app',
      title: '周四直播预告',
      body: '周四晚八点聊聊指数基金定投。投资有风险。',
    }).expect(201);
    expect(plain.body).toMatchObject({ groupId, status: 'completed', deferredUntil: null });
    await t.catchUp();
    for (const u of [optedIn, suited, unsuited]) expect((await inbox(u.token)).map((m) => m.title)).toEqual(['周四直播预告']);
    for (const u of [silent, outsider, host, owner]) expect(await inbox(u.token)).toEqual([]);
    const plainReport = (await t.http.get(`/reach/campaigns/${plain.body.campaignId}/report`).set(auth(staff.compliance.token)).expect(200))
      .body;
    // Owner, host and the silent member gave no consent to in-app messages.
    expect(plainReport.reach).toMatchObject({ sent: 3, refused: { 'REACH.NO_CONSENT': 3 } });

    // About an advisory product (R3): only the member it suits; the C2 member is refused with the rule named (G3).
    const advisory = await send(host.token, {
      channel: 'in_app',
      title: '策略介绍',
      body: '价值精选组合介绍。投资有风险。',
      productId: r3,
    }).expect(201);
    await t.catchUp();
    expect((await inbox(suited.token)).map((m) => m.title)).toContain('策略介绍');
    for (const u of [optedIn, unsuited]) expect((await inbox(u.token)).map((m) => m.title)).not.toContain('策略介绍');
    const report = (await t.http.get(`/reach/campaigns/${advisory.body.campaignId}/report`).set(auth(staff.compliance.token)).expect(200))
      .body;
    expect(report.reach).toMatchObject({
      sent: 1,
      refused: { 'REACH.NO_CONSENT': 3, 'REACH.ABOVE_RISK_LEVEL': 1, 'REACH.NO_MATCHING_OPINION': 1 },
    });
    // G4: the contact is on the suited member's advisory stream, so a purchase soon after is not investor-initiated (A5).
    const stream = await t.app.get(PgEventStore).readStream(`advisory.investor-${suited.userId}`);
    expect(stream.filter((e) => e.type === 'advisory.InvestorContacted').map((e) => e.data)).toEqual([
      expect.objectContaining({ productId: r3, source: 'campaign', reference: advisory.body.campaignId }),
    ]);
  });
  it('the product team reaches a group’s members through POST /reach/campaigns (`group_members`): opted-in members only (G1); an unknown group or none is refused', async () => {
    const owner = await t.register('investor');
    const group = await t.http
      .post('/community/groups')
      .set(auth(owner.token))
      .send({ name: '定投训练营第三期', topic: 'course_cohort', joining: 'open', welcome: { introduction: '欢迎', firstTask: '自我介绍' } })
      .expect(201);
    const groupId = group.body.groupId as string;
    const [member, quiet, outsider] = [await t.register('investor'), await t.register('investor'), await t.register('investor')];
    for (const u of [member, quiet]) await t.http.post(`/community/groups/${groupId}/join`).set(auth(u.token)).expect(200);
    for (const u of [member, outsider]) await consentTo(u.token);
    const create = (segment: Record<string, unknown>) =>
      t.http
        .post('/reach/campaigns')
        .set(auth(staff.pm.token))
        .send({
          name: '训练营结营提醒',
          segment,
          channel: 'in_app',
          template: { title: '结营测验开放', body: '训练营结营测验今天开放，完成后可获得结营证书。投资有风险。' },
          schedule: { kind: 'once' },
          controlPercent: 0,
          outcome: { kind: 'returned', days: 3 },
        });

    expect((await create({ kind: 'group_members' }).expect(400)).body.code).toBe('REACH.SEGMENT_INVALID');
    expect((await create({ kind: 'group_members', groupId: 'not-a-uuid' }).expect(400)).body.code).toBe('VALIDATION.FAILED');
    expect((await create({ kind: 'group_members', groupId: '0190a0b0-0000-7000-8000-00000000dead' }).expect(404)).body.code).toBe(
      'REACH.GROUP_NOT_FOUND',
    );

    const created = await create({ kind: 'group_members', groupId }).expect(201);
    await t.http.post(`/reach/campaigns/${created.body.campaignId}/run`).set(auth(staff.pm.token)).expect(200);
    await t.catchUp();
    expect((await inbox(member.token)).map((m) => m.title)).toContain('结营测验开放');
    for (const u of [quiet, outsider, owner]) expect((await inbox(u.token)).map((m) => m.title)).not.toContain('结营测验开放');
    const report = (await t.http.get(`/reach/campaigns/${created.body.campaignId}/report`).set(auth(staff.pm.token)).expect(200)).body;
    expect(report.reach).toMatchObject({ sent: 1, refused: { 'REACH.NO_CONSENT': 2 } });
  });
});

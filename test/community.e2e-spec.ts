import { DataSource } from 'typeorm';
import { TestApp, createTestApp } from './support/app';
import { advisoryListing, auth, level2Listing, publishListing, registerStaff } from './marketplace/fixtures';
import { key, paymentsSettled } from './marketplace/support';

/** Community end to end on PostgreSQL: groups, posts under V1/V3, advice (A9), live tips paid to the host, refunds. */
describe('community (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ COMMUNITY_HOST_SHARE_BPS: '7000', COMMUNITY_PAYOUT_MIN_MINOR: '100' });
  });
  afterAll(async () => t?.close());

  const welcome = { introduction: '欢迎！本群交流投资知识，不荐股。', firstTask: '完成风险测评并做自我介绍' };

  const openGroup = async (token: string, joining = 'open') =>
    (
      await t.http
        .post('/community/groups')
        .set(auth(token))
        .send({ name: '指数定投学习营', topic: 'learning_path', joining, welcome })
        .expect(201)
    ).body.groupId as string;

  it('a live session with tips paid out to the host (V4, revenue share, payout statement)', async () => {
    const host = await t.register('investor');
    const groupId = await openGroup(host.token);
    await t.http.post('/community/hosts').set(auth(host.token)).send({ kind: 'educator', displayName: '王老师' }).expect(201);
    const scheduled = await t.http
      .post(`/community/groups/${groupId}/live-sessions`)
      .set(auth(host.token))
      .send({
        title: '定投入门直播',
        startsAt: new Date(Date.now() + 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      })
      .expect(201);
    const sessionId = scheduled.body.sessionId as string;
    const fan = await t.register('investor', { dateOfBirth: '1990-05-01' });
    const joined = await t.http.post(`/community/groups/${groupId}/join`).set(auth(fan.token)).expect(200);
    expect(joined.body.welcome).toEqual(welcome);
    await t.http.post(`/community/live-sessions/${sessionId}/start`).set(auth(fan.token)).expect(403);
    await t.http.post(`/community/live-sessions/${sessionId}/start`).set(auth(host.token)).expect(200);
    expect((await t.http.post(`/community/live-sessions/${sessionId}/attend`).set(auth(fan.token)).expect(200)).body).toMatchObject({
      status: 'live',
      attendance: 1,
    });

    const tip = (amountMinor: number, message?: string) =>
      t.http
        .post('/community/tips')
        .set(auth(fan.token))
        .set('Idempotency-Key', key())
        .send({ targetKind: 'live_session', targetId: sessionId, amountMinor, currency: 'CNY', message });
    expect((await tip(50).expect(422)).body).toMatchObject({ code: 'TIPPING.AMOUNT_OUT_OF_BOUNDS', rule: 'V4' });
    expect((await tip(500, '跟老师买稳赚').expect(422)).body).toMatchObject({ code: 'CONTENT.PROHIBITED_PHRASE', rule: 'V3' });
    const minor = await t.register('investor', { dateOfBirth: '2012-01-01' });
    await t.http.post(`/community/groups/${groupId}/join`).set(auth(minor.token)).expect(200);
    const minorTip = await t.http
      .post('/community/tips')
      .set(auth(minor.token))
      .set('Idempotency-Key', key())
      .send({ targetKind: 'live_session', targetId: sessionId, amountMinor: 500, currency: 'CNY' });
    expect(minorTip.status).toBe(422);
    expect(minorTip.body).toMatchObject({ code: 'TIPPING.MINOR', rule: 'V4' });

    const sent = await tip(1000, '讲得清楚，谢谢老师').expect(201);
    expect(sent.body).toMatchObject({ hostId: host.userId, status: 'sent' });
    await tip(999).expect(201);
    await paymentsSettled(t);
    await t.catchUp();

    const ledger = (await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(host.token)).expect(200)).body;
    // 70 % of 1000 + 70 % of 999 rounded down.
    expect(ledger).toMatchObject({ balanceMinor: 700 + 699, earnedMinor: 1399 });
    expect(ledger.lines.filter((l: { kind: string }) => l.kind === 'tip_credit')).toHaveLength(2);
    await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(fan.token)).expect(403);

    await t.http.post(`/community/live-sessions/${sessionId}/end`).set(auth(host.token)).expect(200);
    expect((await t.http.get(`/community/live-sessions/${sessionId}`).set(auth(fan.token)).expect(200)).body).toMatchObject({
      status: 'ended',
      attendance: 1,
      tipsMinor: 1999,
    });

    const payout = await t.http.post('/community/hosts/me/payouts').set(auth(host.token)).set('Idempotency-Key', key()).expect(201);
    expect(payout.body).toMatchObject({ status: 'paid', amountMinor: 1399, periodFrom: null });
    expect(payout.body.lines).toHaveLength(2);
    await t.catchUp();
    const after = (await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(host.token)).expect(200)).body;
    expect(after).toMatchObject({
      balanceMinor: 0,
      paidOutMinor: 1399,
      inFlightMinor: 0,
      payouts: [{ status: 'paid', amountMinor: 1399 }],
    });
    expect(
      (await t.http.post('/community/hosts/me/payouts').set(auth(host.token)).set('Idempotency-Key', key()).expect(409)).body.code,
    ).toBe('COMMUNITY.PAYOUT_BELOW_MINIMUM');
  });

  it('V1: a member’s stock tip is refused with the rule named, kept as evidence for compliance, never in the feed', async () => {
    const owner = await t.register('investor');
    const groupId = await openGroup(owner.token);
    const member = await t.register('investor');
    await t.http.post(`/community/groups/${groupId}/posts`).set(auth(member.token)).send({ body: '大家好' }).expect(403);
    await t.http.post(`/community/groups/${groupId}/join`).set(auth(member.token)).expect(200);
    const refused = await t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(auth(member.token))
      .send({ body: '明天开盘买入 600519，目标价 2000！' })
      .expect(422);
    expect(refused.body).toMatchObject({ code: 'COMMUNITY.UNLICENSED_ADVICE', rule: 'V1' });
    const english = await t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(auth(member.token))
      .send({ body: 'Buy 000858 now, price target 200' })
      .expect(422);
    expect(english.body).toMatchObject({ code: 'COMMUNITY.UNLICENSED_ADVICE', rule: 'V1' });
    expect(
      (await t.http.post(`/community/groups/${groupId}/posts`).set(auth(member.token)).send({ body: '这个方法保证收益' }).expect(422)).body,
    ).toMatchObject({
      code: 'CONTENT.PROHIBITED_PHRASE',
      rule: 'V3',
    });
    const ok = await t.http.post(`/community/groups/${groupId}/posts`).set(auth(member.token)).send({ body: '定投多久合适？' }).expect(201);
    await t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(auth(owner.token))
      .send({ body: '至少一个完整周期', parentId: ok.body.postId })
      .expect(201);

    const feed = (await t.http.get(`/community/groups/${groupId}/feed`).set(auth(member.token)).expect(200)).body;
    expect(feed.items.map((p: { body: string }) => p.body)).toEqual(['定投多久合适？']);
    expect(feed.items[0].replyCount).toBe(1);
    const replies = (await t.http.get(`/community/posts/${ok.body.postId}/replies`).set(auth(member.token)).expect(200)).body;
    expect(replies.items.map((p: { body: string }) => p.body)).toEqual(['至少一个完整周期']);

    await t.http.get('/community/evidence').set(auth(member.token)).expect(403);
    const compliance = await t.register('compliance_officer');
    const evidence = (await t.http.get('/community/evidence?status=refused').set(auth(compliance.token)).expect(200)).body.items;
    expect(evidence.find((e: { postId: string }) => e.postId === refused.body.details.postId)).toMatchObject({
      body: '明天开盘买入 600519，目标价 2000！',
      refusal: { code: 'COMMUNITY.UNLICENSED_ADVICE', rule: 'V1' },
    });
  });

  it('A9: a registered advisor’s advice is published with its basis, and shown only where suitable', async () => {
    const staff = await registerStaff(t);
    const advisor = await t.register('advisor');
    const advisors = [{ advisorId: advisor.userId, name: '李明', sacRegistrationCode: 'S0260611080001' }];
    const productId = await publishListing(t, staff, advisoryListing({ advisory: { ...advisoryListing().advisory, advisors } }));
    const groupId = await openGroup(advisor.token);
    await t.http
      .post('/community/hosts')
      .set(auth(advisor.token))
      .send({ kind: 'advisor', displayName: '李明', sacRegistrationCode: 'bad' })
      .expect(422);
    await t.http
      .post('/community/hosts')
      .set(auth(advisor.token))
      .send({ kind: 'advisor', displayName: '李明', sacRegistrationCode: 'S0260611080001' })
      .expect(201);

    const body = '600519 估值回到合理区间，可分批建仓，目标价 1900';
    const noBasis = await t.http
      .post(`/community/groups/${groupId}/advice`)
      .set(auth(advisor.token))
      .send({ productId, body, basisKind: 'model', modelVersion: ' ' });
    expect(noBasis.status).toBe(422);
    expect(noBasis.body).toMatchObject({ rule: 'A9' });
    // Without the advice records the same words are refused even from an advisor (V1).
    expect((await t.http.post(`/community/groups/${groupId}/posts`).set(auth(advisor.token)).send({ body }).expect(422)).body.rule).toBe(
      'V1',
    );
    const published = await t.http
      .post(`/community/groups/${groupId}/advice`)
      .set(auth(advisor.token))
      .send({ productId, body, basisKind: 'research_report', issuer: '某证券研究所', reportDate: '2025-01-15' })
      .expect(201);
    expect(published.body).toMatchObject({ status: 'published', kind: 'advice' });
    const records = (await t.http.get(`/advisory/products/${productId}/advice`).set(auth(advisor.token)).expect(200)).body;
    expect(records.find((r: { adviceId: string }) => r.adviceId === published.body.adviceId)).toMatchObject({
      basis: { kind: 'research_report', issuer: '某证券研究所' },
    });

    // A member without a matching opinion that allows the product never sees it; its author and compliance do.
    const member = await t.register('investor');
    await t.http.post(`/community/groups/${groupId}/join`).set(auth(member.token)).expect(200);
    expect((await t.http.get(`/community/groups/${groupId}/feed`).set(auth(member.token)).expect(200)).body.items).toEqual([]);
    expect((await t.http.get(`/community/groups/${groupId}/feed`).set(auth(advisor.token)).expect(200)).body.items).toHaveLength(1);
    expect((await t.http.get(`/community/groups/${groupId}/feed`).set(auth(staff.compliance.token)).expect(200)).body.items).toHaveLength(
      1,
    );
  });

  it('A9: group advice is one write: a post refused by the membership records no advice, advice refused by advisory records no post', async () => {
    const staff = await registerStaff(t);
    const advisor = await t.register('advisor');
    const other = await t.register('advisor');
    const advisors = [{ advisorId: advisor.userId, name: '周航', sacRegistrationCode: 'S0260611080002' }];
    const productId = await publishListing(t, staff, advisoryListing({ advisory: { ...advisoryListing().advisory, advisors } }));
    const owner = await t.register('investor');
    const groupId = await openGroup(owner.token);
    for (const u of [advisor, other]) await t.http.post(`/community/groups/${groupId}/join`).set(auth(u.token)).expect(200);
    const body = '000001 可在回调时分批建仓，目标价 15 元';
    const basis = { basisKind: 'research_report', issuer: '某证券研究所', reportDate: '2025-02-10' };
    const adviceRecords = async () =>
      (await t.http.get(`/advisory/products/${productId}/advice`).set(auth(advisor.token)).expect(200)).body as unknown[];
    const feed = async () =>
      (await t.http.get(`/community/groups/${groupId}/feed`).set(auth(owner.token)).expect(200)).body.items as unknown[];

    // Advisory refuses (not the product's advisor, A9): no post either, not even as evidence.
    const notTheirs = await t.http
      .post(`/community/groups/${groupId}/advice`)
      .set(auth(other.token))
      .send({ productId, body, ...basis });
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body).toMatchObject({ code: 'ADVICE.NOT_PRODUCT_ADVISOR', rule: 'A9' });
    const evidence = async () =>
      (
        (await t.http.get('/community/evidence').set(auth(staff.compliance.token)).expect(200)).body.items as { authorId?: string }[]
      ).filter((item) => JSON.stringify(item).includes(groupId));
    expect(await evidence()).toEqual([]);

    // A repeat offender is paced: the post is refused (throttled) and no advice record is written with it.
    for (const reason of ['刷屏', '再次刷屏'])
      await t.http
        .post(`/community/groups/${groupId}/members/${advisor.userId}/moderation`)
        .set(auth(owner.token))
        .send({ action: 'warn', reason })
        .expect(200);
    await t.http.post(`/community/groups/${groupId}/posts`).set(auth(advisor.token)).send({ body: '今天休息' }).expect(201);
    const throttled = await t.http
      .post(`/community/groups/${groupId}/advice`)
      .set(auth(advisor.token))
      .send({ productId, body, ...basis });
    expect(throttled.status).toBe(429);
    expect(throttled.body.code).toBe('COMMUNITY.THROTTLED');
    expect(await adviceRecords()).toEqual([]);

    // Muted: refused, nothing written.
    await t.http
      .post(`/community/groups/${groupId}/members/${advisor.userId}/moderation`)
      .set(auth(owner.token))
      .send({ action: 'mute', reason: '冷静一下', minutes: 30 })
      .expect(200);
    t.clock.advance(10 * 60_000);
    expect(
      (
        await t.http
          .post(`/community/groups/${groupId}/advice`)
          .set(auth(advisor.token))
          .send({ productId, body, ...basis })
          .expect(403)
      ).body.code,
    ).toBe('COMMUNITY.MUTED');
    expect(await adviceRecords()).toEqual([]);
    expect(await feed()).toHaveLength(1);

    // Once the mute is over: the post and its advice record, together.
    t.clock.advance(30 * 60_000);
    const published = await t.http
      .post(`/community/groups/${groupId}/advice`)
      .set(auth(advisor.token))
      .send({ productId, body, ...basis })
      .expect(201);
    expect(published.body).toMatchObject({ status: 'published', kind: 'advice' });
    expect(await adviceRecords()).toMatchObject([{ adviceId: published.body.adviceId, basis: { kind: 'research_report' } }]);
  });

  it('V4: one daily cap per investor across contexts: live-stream tips (value-added) and community tips add up; minors refused in both', async () => {
    const staff = await registerStaff(t);
    const stream = await publishListing(
      t,
      staff,
      level2Listing({
        kind: 'live_stream_tipping_target',
        title: '收盘复盘直播',
        plans: [{ planId: 'free', name: '免费', priceMinor: 0, currency: 'CNY', billingPeriod: 'one_off' }],
      }),
    );
    const host = await t.register('investor');
    const groupId = await openGroup(host.token);
    await t.http.post('/community/hosts').set(auth(host.token)).send({ kind: 'kol', displayName: '复盘哥' }).expect(201);
    const post = await t.http.post(`/community/groups/${groupId}/posts`).set(auth(host.token)).send({ body: '今天的复盘要点' }).expect(201);
    const fan = await t.register('investor', { dateOfBirth: '1979-09-09' });
    const minor = await t.register('investor', { dateOfBirth: '2011-02-02' });
    for (const u of [fan, minor]) await t.http.post(`/community/groups/${groupId}/join`).set(auth(u.token)).expect(200);
    const liveTip = (token: string, amountMinor: number) =>
      t.http.post('/tips').set(auth(token)).set('Idempotency-Key', key()).send({ targetListingId: stream, amountMinor, currency: 'CNY' });
    const postTip = (token: string, amountMinor: number) =>
      t.http
        .post('/community/tips')
        .set(auth(token))
        .set('Idempotency-Key', key())
        .send({ targetKind: 'post', targetId: post.body.postId, amountMinor, currency: 'CNY' });

    // Default policy: at most 50 000 a tip, 100 000 a day.
    await liveTip(fan.token, 50_000).expect(201);
    await liveTip(fan.token, 40_000).expect(201);
    const over = await postTip(fan.token, 20_000).expect(422);
    expect(over.body).toMatchObject({ code: 'TIPPING.DAILY_CAP_EXCEEDED', rule: 'V4', details: { tippedTodayMinor: 90_000 } });
    await postTip(fan.token, 10_000).expect(201);
    // And the other way round: the community tip counts against the live-stream tips.
    expect((await liveTip(fan.token, 100).expect(422)).body).toMatchObject({ code: 'TIPPING.DAILY_CAP_EXCEEDED', rule: 'V4' });
    // The next business day (Asia/Shanghai) starts afresh.
    t.clock.advance(24 * 3_600_000);
    await postTip(fan.token, 100).expect(201);

    expect((await liveTip(minor.token, 500).expect(422)).body).toMatchObject({ code: 'TIPPING.MINOR', rule: 'V4' });
    expect((await postTip(minor.token, 500).expect(422)).body).toMatchObject({ code: 'TIPPING.MINOR', rule: 'V4' });
    await paymentsSettled(t);
  });

  it('a refunded tip reverses the host share; a chargeback does too', async () => {
    const host = await t.register('investor');
    const groupId = await openGroup(host.token);
    await t.http.post('/community/hosts').set(auth(host.token)).send({ kind: 'kol', displayName: '老张' }).expect(201);
    const post = await t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(auth(host.token))
      .send({ body: '今天聊聊资产配置的基本原则' })
      .expect(201);
    const fan = await t.register('investor', { dateOfBirth: '1985-03-03' });
    await t.http.post(`/community/groups/${groupId}/join`).set(auth(fan.token)).expect(200);
    const tip = async () =>
      (
        await t.http
          .post('/community/tips')
          .set(auth(fan.token))
          .set('Idempotency-Key', key())
          .send({ targetKind: 'post', targetId: post.body.postId, amountMinor: 2000, currency: 'CNY' })
          .expect(201)
      ).body.tipId as string;
    const refunded = await tip();
    const chargedBack = await tip();
    await paymentsSettled(t);
    await t.catchUp();
    expect((await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(host.token)).expect(200)).body.balanceMinor).toBe(2800);

    const compliance = await t.register('compliance_officer');
    await t.http
      .post(`/community/tips/${refunded}/refund`)
      .set(auth(fan.token))
      .set('Idempotency-Key', key())
      .send({ reason: '误操作' })
      .expect(403);
    const refund = await t.http
      .post(`/community/tips/${refunded}/refund`)
      .set(auth(compliance.token))
      .set('Idempotency-Key', key())
      .send({ reason: '投资者申诉误操作' })
      .expect(201);
    expect(refund.body).toMatchObject({ status: 'refund_requested', amountMinor: 2000 });
    await paymentsSettled(t);
    await t.catchUp();
    const afterRefund = (await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(host.token)).expect(200)).body;
    expect(afterRefund).toMatchObject({ balanceMinor: 1400, reversedMinor: 1400 });
    expect(afterRefund.lines[0]).toMatchObject({ kind: 'tip_refund', refId: refunded, amountMinor: -1400 });

    await t.http
      .post(`/community/tips/${chargedBack}/chargeback`)
      .set(auth(compliance.token))
      .set('Idempotency-Key', key())
      .send({ reason: '发卡行拒付' })
      .expect(201);
    expect((await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(host.token)).expect(200)).body).toMatchObject({
      balanceMinor: 0,
      reversedMinor: 2800,
    });
    // A reversed tip cannot be refunded again.
    expect(
      (
        await t.http
          .post(`/community/tips/${refunded}/refund`)
          .set(auth(compliance.token))
          .set('Idempotency-Key', key())
          .send({ reason: 'x' })
          .expect(409)
      ).body.code,
    ).toBe('COMMUNITY.TIP_NOT_PAID');
  });

  it('partial refunds reverse the host share in proportion; a deficit is carried against the next payout, whose statement shows it', async () => {
    const host = await t.register('investor');
    const groupId = await openGroup(host.token);
    await t.http.post('/community/hosts').set(auth(host.token)).send({ kind: 'kol', displayName: '小李' }).expect(201);
    const post = await t.http.post(`/community/groups/${groupId}/posts`).set(auth(host.token)).send({ body: '谈谈长期持有' }).expect(201);
    const fan = await t.register('investor', { dateOfBirth: '1988-08-08' });
    await t.http.post(`/community/groups/${groupId}/join`).set(auth(fan.token)).expect(200);
    const tip = async (amountMinor: number) =>
      (
        await t.http
          .post('/community/tips')
          .set(auth(fan.token))
          .set('Idempotency-Key', key())
          .send({ targetKind: 'post', targetId: post.body.postId, amountMinor, currency: 'CNY' })
          .expect(201)
      ).body.tipId as string;
    const ledger = async () => (await t.http.get(`/community/hosts/${host.userId}/ledger`).set(auth(host.token)).expect(200)).body;
    const tipId = await tip(999);
    await paymentsSettled(t);
    await t.catchUp();
    // The host's share (699 of 999) is paid out before any refund.
    const first = await t.http.post('/community/hosts/me/payouts').set(auth(host.token)).set('Idempotency-Key', key()).expect(201);
    expect(first.body).toMatchObject({ status: 'paid', amountMinor: 699 });

    const compliance = await t.register('compliance_officer');
    const refund = (amountMinor?: number) =>
      t.http
        .post(`/community/tips/${tipId}/refund`)
        .set(auth(compliance.token))
        .set('Idempotency-Key', key())
        .send({ reason: '直播中断，部分退款', amountMinor });
    expect((await refund(333).expect(201)).body).toMatchObject({ status: 'refund_requested', amountMinor: 333 });
    await paymentsSettled(t);
    await t.catchUp();
    // floor(699 × 333 / 999) = 233 reversed; the tip stays paid, with the rest still refundable.
    expect(await ledger()).toMatchObject({ balanceMinor: -233, reversedMinor: 233 });
    expect((await refund(333).expect(201)).body.amountMinor).toBe(333);
    await paymentsSettled(t);
    await t.catchUp();
    // floor(699 × 666 / 999) = 466 in all: the second refund reverses 233 more.
    const afterTwo = await ledger();
    expect(afterTwo).toMatchObject({ balanceMinor: -466, reversedMinor: 466 });
    expect(afterTwo.lines.slice(0, 2)).toMatchObject([
      { kind: 'tip_refund', refId: tipId, amountMinor: -233 },
      { kind: 'tip_refund', refId: tipId, amountMinor: -233 },
    ]);
    // More than is left is refused by payments (E1).
    expect((await refund(334).expect(422)).body).toMatchObject({ code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED', rule: 'E1' });
    // The deficit is carried: no payout while the balance is below the minimum.
    expect(
      (await t.http.post('/community/hosts/me/payouts').set(auth(host.token)).set('Idempotency-Key', key()).expect(409)).body.code,
    ).toBe('COMMUNITY.PAYOUT_BELOW_MINIMUM');

    await tip(2000);
    await paymentsSettled(t);
    await t.catchUp();
    const next = await t.http.post('/community/hosts/me/payouts').set(auth(host.token)).set('Idempotency-Key', key()).expect(201);
    // 1400 earned, less the 466 carried: the statement lists both reversals and the credit.
    expect(next.body).toMatchObject({ status: 'paid', amountMinor: 1400 - 466 });
    expect(next.body.lines).toMatchObject([
      { tipId, kind: 'reversal', amountMinor: -233 },
      { tipId, kind: 'reversal', amountMinor: -233 },
      { kind: 'credit', amountMinor: 1400 },
    ]);
    await t.catchUp();
    expect((await ledger()).payouts[0]).toMatchObject({
      amountMinor: 934,
      lines: [{ amountMinor: -233 }, { amountMinor: -233 }, { amountMinor: 1400 }],
    });

    // The last third, refunded without an amount (all that is left): the whole share is reversed, the tip is reversed.
    expect((await refund().expect(201)).body.amountMinor).toBe(333);
    await paymentsSettled(t);
    await t.catchUp();
    expect(await ledger()).toMatchObject({ balanceMinor: -233, reversedMinor: 699 });
    expect((await refund(1).expect(409)).body.code).toBe('COMMUNITY.TIP_NOT_PAID');
  });

  it('moderation: reports reach the queue; hide, warn, mute and ban are recorded with reasons; repeat offenders are throttled', async () => {
    const owner = await t.register('investor');
    const groupId = await openGroup(owner.token);
    const mod = await t.register('investor');
    const troll = await t.register('investor');
    const reporter = await t.register('investor');
    for (const u of [mod, troll, reporter]) await t.http.post(`/community/groups/${groupId}/join`).set(auth(u.token)).expect(200);
    await t.http
      .put(`/community/groups/${groupId}/members/${mod.userId}/role`)
      .set(auth(mod.token))
      .send({ role: 'moderator' })
      .expect(403);
    await t.http
      .put(`/community/groups/${groupId}/members/${mod.userId}/role`)
      .set(auth(owner.token))
      .send({ role: 'moderator' })
      .expect(200);

    const spam = await t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(auth(troll.token))
      .send({ body: '加我好友领福利' })
      .expect(201);
    await t.http.post(`/community/posts/${spam.body.postId}/reports`).set(auth(reporter.token)).send({ reason: '广告' }).expect(201);
    const queue = (await t.http.get('/community/moderation/queue').set(auth(mod.token)).expect(200)).body.items;
    expect(queue).toMatchObject([{ postId: spam.body.postId, reason: '广告' }]);
    expect((await t.http.get('/community/moderation/queue').set(auth(reporter.token)).expect(200)).body.items).toEqual([]);

    await t.http.post(`/community/posts/${spam.body.postId}/hide`).set(auth(reporter.token)).send({ reason: '广告' }).expect(403);
    await t.http.post(`/community/posts/${spam.body.postId}/hide`).set(auth(mod.token)).send({ reason: '广告引流' }).expect(200);
    expect((await t.http.get(`/community/groups/${groupId}/feed`).set(auth(reporter.token)).expect(200)).body.items).toEqual([]);
    const warned = await t.http
      .post(`/community/groups/${groupId}/members/${troll.userId}/moderation`)
      .set(auth(mod.token))
      .send({ action: 'warn', reason: '再次引流' })
      .expect(200);
    expect(warned.body).toMatchObject({ offences: 2 });
    // Two offences: a repeat offender posts at most once per throttle period.
    await t.http.post(`/community/groups/${groupId}/posts`).set(auth(troll.token)).send({ body: '我错了' }).expect(201);
    expect(
      (await t.http.post(`/community/groups/${groupId}/posts`).set(auth(troll.token)).send({ body: '再说一句' }).expect(429)).body.code,
    ).toBe('COMMUNITY.THROTTLED');
    await t.http
      .post(`/community/groups/${groupId}/members/${troll.userId}/moderation`)
      .set(auth(mod.token))
      .send({ action: 'mute', reason: '刷屏', minutes: 30 })
      .expect(200);
    t.clock.advance(10 * 60_000);
    expect(
      (await t.http.post(`/community/groups/${groupId}/posts`).set(auth(troll.token)).send({ body: 'hi' }).expect(403)).body.code,
    ).toBe('COMMUNITY.MUTED');
    await t.http
      .post(`/community/groups/${groupId}/members/${troll.userId}/moderation`)
      .set(auth(mod.token))
      .send({ action: 'ban', reason: '屡教不改' })
      .expect(200);
    expect((await t.http.post(`/community/groups/${groupId}/join`).set(auth(troll.token)).expect(403)).body.code).toBe('COMMUNITY.BANNED');
    const compliance = await t.register('compliance_officer');
    const actions = (await t.http.get(`/community/groups/${groupId}/moderation/actions`).set(auth(compliance.token)).expect(200)).body
      .items;
    expect(actions.map((a: { action: string }) => a.action).sort()).toEqual(['ban', 'hide', 'mute', 'warn']);
  });

  it('growth hooks (G7): a consenting member’s join, post, reply and live attendance reach growth’s activity; a member without consent leaves none', async () => {
    const host = await t.register('investor');
    const groupId = await openGroup(host.token);
    await t.http.post('/community/hosts').set(auth(host.token)).send({ kind: 'educator', displayName: '李老师' }).expect(201);
    const session = await t.http
      .post(`/community/groups/${groupId}/live-sessions`)
      .set(auth(host.token))
      .send({
        title: '估值方法直播',
        startsAt: new Date(t.clock.now().getTime() + 60_000).toISOString(),
        endsAt: new Date(t.clock.now().getTime() + 3_600_000).toISOString(),
      })
      .expect(201);
    const sessionId = session.body.sessionId as string;
    await t.http.post(`/community/live-sessions/${sessionId}/start`).set(auth(host.token)).expect(200);
    const opening = await t.http
      .post(`/community/groups/${groupId}/posts`)
      .set(auth(host.token))
      .send({ body: '本周主题：指数估值' })
      .expect(201);

    const consenting = await t.register('investor');
    await t.http.put('/me/analytics-consent').set(auth(consenting.token)).send({ given: true }).expect(200);
    const silent = await t.register('investor');
    await t.catchUp();
    for (const member of [consenting, silent]) {
      await t.http.post(`/community/groups/${groupId}/join`).set(auth(member.token)).expect(200);
      await t.http
        .post(`/community/groups/${groupId}/posts`)
        .set(auth(member.token))
        .send({ body: '打卡：今天读完了估值一章' })
        .expect(201);
      await t.http
        .post(`/community/groups/${groupId}/posts`)
        .set(auth(member.token))
        .send({ body: '谢谢分享，学到了', parentId: opening.body.postId })
        .expect(201);
      await t.http.post(`/community/live-sessions/${sessionId}/attend`).set(auth(member.token)).expect(200);
    }

    // Activity is recorded after the member's answer (analytics never holds a request up): wait for it.
    const db = t.app.get(DataSource);
    const typesOf = async (investorId: string) =>
      (await db.query(`SELECT type FROM growth_activity WHERE investor_id = $1 ORDER BY type`, [investorId])).map(
        (row: { type: string }) => row.type,
      );
    const expected = ['community.group_joined', 'community.live_attended', 'community.posted', 'community.replied'];
    const started = Date.now();
    while ((await typesOf(consenting.userId)).length < expected.length && Date.now() - started < 10_000)
      await new Promise((done) => setTimeout(done, 100));
    expect(await typesOf(consenting.userId)).toEqual(expected);
    expect(await typesOf(silent.userId)).toEqual([]);
  });

  it('joining by invitation and by entitlement', async () => {
    const owner = await t.register('investor');
    const invitationGroup = await openGroup(owner.token, 'invitation');
    const guest = await t.register('investor');
    expect((await t.http.post(`/community/groups/${invitationGroup}/join`).set(auth(guest.token)).expect(403)).body.code).toBe(
      'COMMUNITY.INVITATION_REQUIRED',
    );
    await t.http.post(`/community/groups/${invitationGroup}/invitations`).set(auth(owner.token)).send({ userId: guest.userId }).expect(201);
    await t.http.post(`/community/groups/${invitationGroup}/join`).set(auth(guest.token)).expect(200);
    const course = '0190a0b0-0000-7000-8000-000000000001';
    const cohort = await t.http
      .post('/community/groups')
      .set(auth(owner.token))
      .send({ name: '课程同学群', topic: 'course_cohort', joining: 'entitlement', entitlementListingId: course, welcome })
      .expect(201);
    expect((await t.http.post(`/community/groups/${cohort.body.groupId}/join`).set(auth(guest.token)).expect(403)).body.code).toBe(
      'COMMUNITY.ENTITLEMENT_REQUIRED',
    );
  });
});

import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Pool } from 'pg';
import { PgEventStore } from '@app/event-store';
import { JsonLogger, loadConfig } from '@app/platform';
import { SessionRegistry } from '../libs/identity/src/infrastructure/session-registry';
import { createApp } from '../apps/api/src/app.factory';
import { createTestApp, TestApp } from './support/app';

const PASSWORD = 'a-long-enough-password';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: string };

/** The API restarted on the test's database with other settings (after the test's own app is closed). */
const instance = async (t: TestApp, env: Record<string, string> = {}): Promise<INestApplication> => {
  const config = loadConfig({
    DATA_DIR: '.data/test',
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    PASSWORD_HASH_COST: '10',
    LOG_LEVEL: 'error',
    PROJECTION_POLL_MS: '50',
    AUTH_RATE_LIMIT: 'off',
    ...env,
  });
  const app = await createApp({ config, databaseUrl: t.db.url, clock: t.clock, logger: new JsonLogger('error') });
  await app.init();
  return app;
};

describe('sessions that can be ended (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SESSION_REFRESH_MS: '100' });
  });
  afterAll(async () => t.close());

  const login = async (email: string, password = PASSWORD) =>
    (await t.http.post('/auth/login').send({ email, password }).expect(200)).body.accessToken as string;
  const typesOf = async (userId: string) => (await t.app.get(PgEventStore).readStream(`user-${userId}`)).map((event) => event);

  it('ends the tokens of a user whose role is revoked, at once', async () => {
    const officer = await t.register('compliance_officer');
    await t.http.get('/value-added/investors/00000000-0000-0000-0000-000000000000/entitlements').set(bearer(officer.token)).expect(200);
    await t.http.delete(`/admin/users/${officer.userId}/roles/compliance_officer`).set(bearer(t.adminToken)).expect(204);
    const refused = await t.http
      .get('/value-added/investors/00000000-0000-0000-0000-000000000000/entitlements')
      .set(bearer(officer.token))
      .expect(401);
    expect(refused.body.code).toBe('AUTH.SESSION_ENDED');
    await t.http.get('/me').set(bearer(officer.token)).expect(401);
    const fresh = await login(officer.email);
    const me = await t.http.get('/me').set(bearer(fresh)).expect(200);
    expect(me.body.roles).toEqual(['investor']);
  });

  it('lets an admin disable a user (recorded with actor and reason), which ends their sessions and refuses login; enabling lets them log in again', async () => {
    const investor = await t.register();
    await t.http
      .post(`/admin/users/${investor.userId}/disable`)
      .set(bearer(t.adminToken))
      .send({ reason: 'account reported stolen' })
      .expect(204);
    const refused = await t.http.get('/me').set(bearer(investor.token)).expect(401);
    expect(refused.body.code).toBe('AUTH.USER_DISABLED');
    const denied = await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(403);
    expect(denied.body.code).toBe('AUTH.USER_DISABLED');
    await t.http.post('/auth/login').send({ email: investor.email, password: 'not-the-password-at-all' }).expect(401);
    const statusOf = async () => {
      await t.catchUp();
      const page = await t.http.get('/admin/users?limit=200').set(bearer(t.adminToken)).expect(200);
      return page.body.items.find((user: { userId: string }) => user.userId === investor.userId)?.disabled;
    };
    expect(await statusOf()).toBe(true);

    const events = await typesOf(investor.userId);
    const disabled = events.find((event) => event.type === 'identity.UserDisabled');
    expect(disabled?.data).toMatchObject({ userId: investor.userId, reason: 'account reported stolen' });
    expect(disabled?.metadata.actor).toBe(disabled?.data.disabledBy);

    await t.http
      .post(`/admin/users/${investor.userId}/enable`)
      .set(bearer(t.adminToken))
      .send({ reason: 'owner verified by phone' })
      .expect(204);
    await t.http.get('/me').set(bearer(investor.token)).expect(401);
    await t.http
      .get('/me')
      .set(bearer(await login(investor.email)))
      .expect(200);
    expect((await typesOf(investor.userId)).map((event) => event.type)).toContain('identity.UserEnabled');
    expect(await statusOf()).toBe(false);
  });

  it('refuses an admin disabling themselves, a reason-less disable and a non-admin', async () => {
    const { body: me } = await t.http.get('/me').set(bearer(t.adminToken)).expect(200);
    const self = await t.http.post(`/admin/users/${me.userId}/disable`).set(bearer(t.adminToken)).send({ reason: 'leaving' }).expect(403);
    expect(self.body.code).toBe('IDENTITY.SELF_DISABLE');
    const investor = await t.register();
    await t.http.post(`/admin/users/${investor.userId}/disable`).set(bearer(t.adminToken)).send({}).expect(400);
    const other = await t.register();
    const denied = await t.http.post(`/admin/users/${other.userId}/disable`).set(bearer(investor.token)).send({ reason: 'x' }).expect(403);
    expect(denied.body.code).toBe('AUTH.ROLE_REQUIRED');
    await t.http.get('/me').set(bearer(t.adminToken)).expect(200);
  });

  it('ends only this session on logout, and every session on logout everywhere', async () => {
    const investor = await t.register();
    const phone = await login(investor.email);
    const laptop = await login(investor.email);
    await t.http.post('/auth/logout').set(bearer(phone)).send({}).expect(204);
    expect((await t.http.get('/me').set(bearer(phone)).expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    await t.http.get('/me').set(bearer(laptop)).expect(200);
    await t.http.get('/me').set(bearer(investor.token)).expect(200);

    await t.http.post('/auth/logout').set(bearer(laptop)).send({ everywhere: true }).expect(204);
    await t.http.get('/me').set(bearer(laptop)).expect(401);
    await t.http.get('/me').set(bearer(investor.token)).expect(401);
    const again = await login(investor.email);
    await t.http.get('/me').set(bearer(again)).expect(200);

    // An admin can end them all too, without disabling the user.
    await t.http.post(`/admin/users/${investor.userId}/sessions/end`).set(bearer(again)).expect(403);
    await t.http.post(`/admin/users/${investor.userId}/sessions/end`).set(bearer(t.adminToken)).expect(204);
    expect((await t.http.get('/me').set(bearer(again)).expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    await t.http
      .get('/me')
      .set(bearer(await login(investor.email)))
      .expect(200);
  });

  it("lists a user's active sessions for an admin (id, issued, expiry, user agent) and ends one of them, leaving the others", async () => {
    const investor = await t.register();
    const phone = (
      await t.http.post('/auth/login').set('User-Agent', 'TestPhone/1.0').send({ email: investor.email, password: PASSWORD }).expect(200)
    ).body.accessToken as string;
    const laptop = (
      await t.http.post('/auth/login').set('User-Agent', 'TestLaptop/2.0').send({ email: investor.email, password: PASSWORD }).expect(200)
    ).body.accessToken as string;
    await t.catchUp();
    const path = `/admin/users/${investor.userId}/sessions`;
    await t.http.get(path).set(bearer(investor.token)).expect(403);
    const listed = await t.http.get(path).set(bearer(t.adminToken)).expect(200);
    const sidOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;
    expect(listed.body.items.map((s: { sessionId: string }) => s.sessionId)).toEqual(expect.arrayContaining([sidOf(phone), sidOf(laptop)]));
    const phoneSession = listed.body.items.find((s: { sessionId: string }) => s.sessionId === sidOf(phone));
    expect(phoneSession).toMatchObject({ userAgent: 'TestPhone/1.0', issuedAt: expect.any(String), expiresAt: expect.any(String) });

    await t.http
      .post(`${path}/${sidOf(phone)}/end`)
      .set(bearer(investor.token))
      .expect(403);
    await t.http
      .post(`${path}/${sidOf(phone)}/end`)
      .set(bearer(t.adminToken))
      .expect(204);
    expect((await t.http.get('/me').set(bearer(phone)).expect(401)).body.code).toBe('AUTH.SESSION_ENDED');
    await t.http.get('/me').set(bearer(laptop)).expect(200);
    await t.catchUp();
    const after = await t.http.get(path).set(bearer(t.adminToken)).expect(200);
    expect(after.body.items.map((s: { sessionId: string }) => s.sessionId)).not.toContain(sidOf(phone));
    const again = await t.http
      .post(`${path}/${sidOf(phone)}/end`)
      .set(bearer(t.adminToken))
      .expect(404);
    expect(again.body.code).toBe('IDENTITY.SESSION_NOT_FOUND');

    // Ending every session empties the list.
    await t.http.post(`${path}/end`).set(bearer(t.adminToken)).expect(204);
    await t.catchUp();
    expect((await t.http.get(path).set(bearer(t.adminToken)).expect(200)).body.items).toEqual([]);
  });

  it('ends every earlier token on a password change and answers a token for the new session', async () => {
    const investor = await t.register();
    const other = await login(investor.email);
    const wrong = await t.http
      .post('/auth/password')
      .set(bearer(investor.token))
      .send({ currentPassword: 'not-the-password', newPassword: 'an-entirely-new-passphrase' })
      .expect(401);
    expect(wrong.body.code).toBe('AUTH.INVALID_CREDENTIALS');
    const changed = await t.http
      .post('/auth/password')
      .set(bearer(investor.token))
      .send({ currentPassword: PASSWORD, newPassword: 'an-entirely-new-passphrase' })
      .expect(200);
    await t.http.get('/me').set(bearer(investor.token)).expect(401);
    await t.http.get('/me').set(bearer(other)).expect(401);
    await t.http.get('/me').set(bearer(changed.body.accessToken)).expect(200);
    await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(401);
    await login(investor.email, 'an-entirely-new-passphrase');
    expect((await typesOf(investor.userId)).map((event) => event.type)).toContain('identity.PasswordChanged');
  });

  it('ends a session on another instance within the refresh bound (SESSION_REFRESH_MS)', async () => {
    // Another instance's cache, on its own connections to the same database (two Nest apps cannot share one process:
    // passport's strategies are process-wide).
    const pool = new Pool({ connectionString: t.db.url, max: 2 });
    const store = new PgEventStore(pool);
    const elsewhere = new SessionRegistry(
      store,
      t.clock,
      new JsonLogger('error'),
      loadConfig({ DATA_DIR: '.data/test', SESSION_REFRESH_MS: '100' }),
      store,
    );
    elsewhere.onApplicationBootstrap();
    try {
      const investor = await t.register();
      expect((await elsewhere.state(investor.userId)).version).toBe(0);
      await t.http.post('/auth/logout').set(bearer(investor.token)).send({ everywhere: true }).expect(204);
      const started = Date.now();
      while ((await elsewhere.state(investor.userId)).version === 0 && Date.now() - started < 3_000)
        await new Promise((done) => setTimeout(done, 20));
      expect((await elsewhere.state(investor.userId)).version).toBe(1);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await elsewhere.onModuleDestroy();
      await pool.end();
    }
  });

  it('refuses investor actions to a staff-only account with 403 AUTH.ROLE_REQUIRED', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const routes = [
      '/subscriptions',
      `/subscriptions/${id}/cancel`,
      `/subscriptions/${id}/uncancel`,
      '/tips',
      '/advisory/account',
      '/advisory/account/professional-applications',
      '/advisory/account/material-changes',
      '/advisory/assessments',
      `/advisory/assessments/${id}/confirmation`,
      '/advisory/suitability-check',
      '/advisory/engagements',
      `/advisory/engagements/${id}/risk-disclosure`,
      `/advisory/engagements/${id}/special-risk-warning`,
      `/advisory/engagements/${id}/insistence`,
      `/advisory/engagements/${id}/contract`,
      `/advisory/engagements/${id}/purchase`,
      `/advisory/engagements/${id}/renewal`,
      `/advisory/engagements/${id}/rescission`,
    ];
    for (const route of routes) {
      const response = await t.http.post(route).set(bearer(t.adminToken)).set('Idempotency-Key', `staff-${route.length}`).send({});
      expect({ route, status: response.status, code: response.body.code }).toEqual({ route, status: 403, code: 'AUTH.ROLE_REQUIRED' });
    }
  });
});

describe('JWT key rotation (e2e)', () => {
  const OLD = 'test-secret-that-is-at-least-32-characters-long';
  const NEW = 'the-next-secret-that-is-also-32-characters-or-more';

  it('names the signing key in each token, accepts tokens of a previous key after rotation and signs new ones with the new key', async () => {
    const t = await createTestApp({ JWT_SECRET: OLD });
    const investor = await t.register();
    const oldKid = headerOf(investor.token).kid;
    expect(oldKid).toEqual(expect.any(String));
    await t.app.close();
    try {
      // The operator restarts with a new secret and keeps the old one for verification.
      const rotated = await instance(t, { JWT_SECRET: NEW, JWT_PREVIOUS_SECRETS: OLD });
      let fresh: string;
      try {
        const http = request(rotated.getHttpServer());
        await http.get('/me').set(bearer(investor.token)).expect(200);
        fresh = (await http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(200)).body.accessToken as string;
        expect(headerOf(fresh).kid).toEqual(expect.any(String));
        expect(headerOf(fresh).kid).not.toBe(oldKid);
        await http.get('/me').set(bearer(fresh)).expect(200);
      } finally {
        await rotated.close();
      }
      // Once the old secret is dropped, its tokens are refused; the new key's still count.
      const retired = await instance(t, { JWT_SECRET: NEW });
      try {
        const http = request(retired.getHttpServer());
        await http.get('/me').set(bearer(investor.token)).expect(401);
        await http.get('/me').set(bearer(fresh)).expect(200);
      } finally {
        await retired.close();
      }
    } finally {
      await t.db.drop();
    }
  });
});

describe('idempotent registration (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  const body = (email: string) => ({ email, password: PASSWORD, displayName: 'Retrying Client' });

  it('answers a retried registration with the same user instead of IDENTITY.EMAIL_TAKEN', async () => {
    const email = `retry-${Date.now()}@example.com`;
    const first = await t.http.post('/auth/register').set('Idempotency-Key', 'reg-1').send(body(email)).expect(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const retry = await t.http.post('/auth/register').set('Idempotency-Key', 'reg-1').send(body(email)).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.userId).toBe(first.body.userId);
    const me = await t.http.get('/me').set(bearer(retry.body.accessToken)).expect(200);
    expect(me.body.email).toBe(email);
    const again = await t.http.post('/auth/register').send(body(email)).expect(409);
    expect(again.body.code).toBe('IDENTITY.EMAIL_TAKEN');
  });

  it('refuses the key for another request: another body, or the same body with another password', async () => {
    const email = `reuse-${Date.now()}@example.com`;
    await t.http.post('/auth/register').set('Idempotency-Key', 'reg-2').send(body(email)).expect(201);
    const other = await t.http
      .post('/auth/register')
      .set('Idempotency-Key', 'reg-2')
      .send(body(`x-${email}`))
      .expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    const guessed = await t.http
      .post('/auth/register')
      .set('Idempotency-Key', 'reg-2')
      .send({ ...body(email), password: 'a-guessed-password-1' })
      .expect(422);
    expect(guessed.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
    const bad = await t.http
      .post('/auth/register')
      .set('Idempotency-Key', 'no spaces allowed')
      .send(body(`y-${email}`))
      .expect(400);
    expect(bad.body.code).toBe('IDEMPOTENCY.KEY_INVALID');
  });
});

import { IdentityService } from '@app/identity';
import { createTestApp, TestApp, ADMIN } from './support/app';

describe('identity and the HTTP contract (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('serves /health with the database and projection lag', async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(response.body.database.status).toBe('up');
    expect(response.body.projections).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'identity.users' })]));
  });

  it('serves the OpenAPI document', async () => {
    const response = await t.http.get('/docs-json').expect(200);
    expect(response.body.paths['/auth/register']).toBeDefined();
  });

  it('registers an investor, logs in and reads the profile with the token', async () => {
    const { token, email } = await t.register();
    const me = await t.http.get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.body).toMatchObject({ email, roles: ['investor'] });
    const login = await t.http.post('/auth/login').send({ email, password: 'a-long-enough-password' }).expect(200);
    expect(login.body.tokenType).toBe('Bearer');
  });

  it('refuses a duplicate email with 409 and a stable code, whatever the case', async () => {
    const { email } = await t.register();
    const response = await t.http
      .post('/auth/register')
      .send({ email: email.toUpperCase(), password: 'a-long-enough-password', displayName: 'Twin' })
      .expect(409);
    expect(response.body).toEqual({ code: 'IDENTITY.EMAIL_TAKEN', message: expect.any(String) });
  });

  it('answers bad input with 400 VALIDATION.FAILED naming the fields, and unknown fields are refused', async () => {
    const response = await t.http
      .post('/auth/register')
      .send({ email: 'nope', password: 'short', displayName: '', isAdmin: true })
      .expect(400);
    expect(response.body.code).toBe('VALIDATION.FAILED');
    expect(response.body.message).toMatch(/email/);
    expect(response.body.message).toMatch(/isAdmin/);
    expect(response.body.stack).toBeUndefined();
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const response = await t.http.post('/auth/register').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(response.body.code).toBe('REQUEST.MALFORMED_JSON');
  });

  it('refuses a wrong password and a missing token with 401', async () => {
    await t.http.post('/auth/login').send({ email: ADMIN.email, password: 'wrong-password-123' }).expect(401);
    const response = await t.http.get('/me').expect(401);
    expect(response.body.code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('guards admin routes by role, and role changes are events visible after re-login', async () => {
    const investor = await t.register();
    const denied = await t.http.get('/admin/users').set('Authorization', `Bearer ${investor.token}`).expect(403);
    expect(denied.body.code).toBe('AUTH.ROLE_REQUIRED');
    const officer = await t.register('compliance_officer');
    const me = await t.http.get('/me').set('Authorization', `Bearer ${officer.token}`).expect(200);
    expect(me.body.roles).toEqual(['investor', 'compliance_officer']);
    const list = await t.http.get('/admin/users').set('Authorization', `Bearer ${t.adminToken}`).expect(200);
    expect(list.body.total).toBeGreaterThanOrEqual(3);
  });

  it('bootstraps the first admin only once', async () => {
    const outcome = await t.app.get(IdentityService).bootstrapAdmin('other-admin@example.com', 'another-long-password', new Date());
    expect(outcome).toBe('exists');
  });
});

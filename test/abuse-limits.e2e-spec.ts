import { randomBytes, scryptSync } from 'node:crypto';
import { PgEventStore } from '@app/event-store';
import { createTestApp, TestApp } from './support/app';

const PASSWORD = 'a-long-enough-password';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A hash in the stored format at a given cost, as an older release would have written it. */
const legacyHash = (password: string, N: number) => {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N, r: 8, p: 1 });
  return `scrypt$${N}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
};

describe('abuse limits: login lockout, per-address and per-user throttling (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      LOGIN_FAILURE_LIMIT: '3/900',
      LOGIN_LOCKOUT_SECONDS: '60',
      MONEY_RATE_LIMIT: '2/60',
      PASSWORD_HASH_COST: '11',
    });
  });
  afterAll(async () => t.close());

  it('locks an account after repeated wrong passwords (429 + Retry-After + identity.LoginLockedOut), refuses even the right one, and lets it in once the lockout expires', async () => {
    const investor = await t.register();
    const wrong = () => t.http.post('/auth/login').send({ email: investor.email, password: 'wrong-password-123' });
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    const locked = await wrong();
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('AUTH.LOGIN_LOCKED_OUT');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(59);

    const right = await t.http.post('/auth/login').send({ email: investor.email.toUpperCase(), password: PASSWORD });
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('AUTH.LOGIN_LOCKED_OUT');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);

    const events = await t.app.get(PgEventStore).readStream(`user-${investor.userId}`);
    const lockouts = events.filter((event) => event.type === 'identity.LoginLockedOut');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0].data).toMatchObject({ userId: investor.userId, failures: 3 });

    t.clock.advance(61_000);
    await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(200);
    // A success starts the count again.
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(200);
    expect((await wrong()).status).toBe(401);
  });

  it('locks an unknown email the same way, so a lockout does not tell which accounts exist', async () => {
    const email = `nobody-${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.http.post('/auth/login').send({ email, password: 'wrong-password-123' })).status);
    expect(statuses).toEqual([401, 401, 429, 429]);
  });

  it('throttles money-moving requests per user (MONEY_RATE_LIMIT) with 429 RATE.TOO_MANY_PAYMENTS and Retry-After, other users unaffected', async () => {
    const investor = await t.register();
    const other = await t.register();
    // Counted before anything else about the request: even an invalid one.
    const tip = (token: string, key: string) => t.http.post('/tips').set(bearer(token)).set('Idempotency-Key', key).send({});
    expect((await tip(investor.token, 'a')).status).toBe(400);
    expect((await tip(investor.token, 'b')).status).toBe(400);
    const limited = await tip(investor.token, 'c');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE.TOO_MANY_PAYMENTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const subscribe = await t.http.post('/subscriptions').set(bearer(investor.token)).set('Idempotency-Key', 'd').send({});
    expect(subscribe.status).toBe(429);
    expect((await tip(other.token, 'a')).status).toBe(400);
    t.clock.advance(61_000);
    expect((await tip(investor.token, 'e')).status).toBe(400);
  });

  it('rehashes a password stored below the configured cost at the next successful login', async () => {
    const investor = await t.register();
    const pool = t.app.get(PgEventStore).pool;
    await pool.query('UPDATE credentials SET password_hash = $2 WHERE user_id = $1', [investor.userId, legacyHash(PASSWORD, 2 ** 10)]);
    await t.http.post('/auth/login').send({ email: investor.email, password: 'wrong-password-123' }).expect(401);
    expect((await pool.query('SELECT password_hash FROM credentials WHERE user_id = $1', [investor.userId])).rows[0].password_hash).toMatch(
      /^scrypt\$1024\$/,
    );
    await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(200);
    const { rows } = await pool.query('SELECT password_hash FROM credentials WHERE user_id = $1', [investor.userId]);
    expect(rows[0].password_hash).toMatch(/^scrypt\$2048\$8\$1\$/);
    await t.http.post('/auth/login').send({ email: investor.email, password: PASSWORD }).expect(200);
  });
});

describe('abuse limits: per client address (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The test app's own admin login is the address's first request.
    t = await createTestApp({ AUTH_RATE_LIMIT: '4/60' });
  });
  afterAll(async () => t.close());

  it('throttles login and registration per address with 429 RATE.TOO_MANY_AUTH_REQUESTS and Retry-After, until the window ends', async () => {
    const register = (n: number) =>
      t.http.post('/auth/register').send({ email: `addr-${n}-${Date.now()}@example.com`, password: PASSWORD, displayName: 'A' });
    expect((await register(1)).status).toBe(201);
    expect((await register(2)).status).toBe(201);
    expect((await t.http.post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong-password-123' })).status).toBe(401);
    const limited = await t.http.post('/auth/login').send({ email: 'nobody@example.com', password: 'wrong-password-123' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE.TOO_MANY_AUTH_REQUESTS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await register(3)).status).toBe(429);
    t.clock.advance(61_000);
    expect((await register(4)).status).toBe(201);
  });
});

describe('abuse limits: registrations per email (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REGISTRATION_RATE_LIMIT: '2/3600' });
  });
  afterAll(async () => t.close());

  it('throttles repeated registrations of one email with 429 RATE.TOO_MANY_REGISTRATIONS', async () => {
    const body = { email: `twice-${Date.now()}@example.com`, password: PASSWORD, displayName: 'A' };
    await t.http.post('/auth/register').send(body).expect(201);
    await t.http.post('/auth/register').send(body).expect(409);
    const limited = await t.http
      .post('/auth/register')
      .send({ ...body, email: body.email.toUpperCase() })
      .expect(429);
    expect(limited.body.code).toBe('RATE.TOO_MANY_REGISTRATIONS');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

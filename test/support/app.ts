import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AdjustableClock } from '@app/common';
import { JsonLogger, ProjectionRunner, ReactorRunner, loadConfig } from '@app/platform';
import { createApp } from '../../apps/api/src/app.factory';
import { createTestDatabase, TestDatabase } from './db';

/**
 * The real application on a fresh database cloned from the migrated template, with a clock the test can move.
 * `admin` is bootstrapped from configuration like in production; `userWith(role)` registers a user through the API and
 * has the admin grant the role.
 */
export interface TestApp {
  readonly app: INestApplication;
  readonly http: ReturnType<typeof request>;
  readonly clock: AdjustableClock;
  readonly db: TestDatabase;
  readonly adminToken: string;
  register(role?: string, overrides?: Record<string, unknown>): Promise<{ userId: string; token: string; email: string }>;
  catchUp(): Promise<void>;
  close(): Promise<void>;
}

export const ADMIN = { email: 'admin@example.com', password: 'correct-horse-battery-staple' };
let counter = 0;

export const createTestApp = async (env: Record<string, string> = {}, logger = new JsonLogger('error')): Promise<TestApp> => {
  const db = await createTestDatabase();
  const config = loadConfig({
    DATA_DIR: '.data/test',
    JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
    PASSWORD_HASH_COST: '10',
    LOG_LEVEL: 'error',
    PROJECTION_POLL_MS: '50',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
    // Every test registers its users from one address, many at once, and some send hundreds of concurrent payments
    // from one user; the throttling tests set their own limits.
    AUTH_RATE_LIMIT: 'off',
    MONEY_RATE_LIMIT: 'off',
    PASSWORD_HASH_QUEUE: '64',
    ...env,
  });
  const clock = new AdjustableClock();
  const app = await createApp({ config, databaseUrl: db.url, clock, logger });
  await app.init();
  const http = request(app.getHttpServer());
  const login = await http.post('/auth/login').send(ADMIN).expect(200);
  const adminToken = login.body.accessToken as string;

  const register: TestApp['register'] = async (role = 'investor', overrides = {}) => {
    const email = `user${++counter}-${Date.now()}@example.com`;
    const registered = await http
      .post('/auth/register')
      .send({ email, password: 'a-long-enough-password', displayName: `User ${counter}`, ...overrides })
      .expect(201);
    const userId = registered.body.userId as string;
    if (role === 'investor') return { userId, token: registered.body.accessToken, email };
    await http.post(`/admin/users/${userId}/roles`).set('Authorization', `Bearer ${adminToken}`).send({ role }).expect(204);
    const relogin = await http.post('/auth/login').send({ email, password: 'a-long-enough-password' }).expect(200);
    return { userId, token: relogin.body.accessToken, email };
  };

  return {
    app,
    http,
    clock,
    db,
    adminToken,
    register,
    // Read models, then the reactions they allow (a re-rating reads the engagements), then the read models of those.
    catchUp: async () => {
      await app.get(ProjectionRunner).catchUp();
      await app.get(ReactorRunner).pass(undefined, { wait: true });
      await app.get(ProjectionRunner).catchUp();
    },
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
};

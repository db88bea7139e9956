import { randomBytes } from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../../libs/platform/src/database';

/** A fresh, migrated database for one test file, cloned from the run's template. */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export const serverUrl = (): string => {
  const url = process.env.TEST_PG_SERVER_URL;
  if (!url) throw new Error('TEST_PG_SERVER_URL is not set: run tests through jest (test/global-setup.ts starts PostgreSQL)');
  return url;
};

export const createTestDatabase = async (): Promise<TestDatabase> => {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const url = await ensureDatabase(serverUrl(), name, process.env.TEST_PG_TEMPLATE);
  return { url, drop: () => dropDatabase(serverUrl(), name) };
};

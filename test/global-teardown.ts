import { dropDatabase } from '../libs/platform/src/database';

export default async function globalTeardown(): Promise<void> {
  const serverUrl = process.env.TEST_PG_SERVER_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (serverUrl && template) await dropDatabase(serverUrl, template).catch(() => undefined);
  const running = (globalThis as { __PG__?: { stop(): Promise<void> } }).__PG__;
  if (running) await running.stop();
}

import '../../../libs/platform/src/register-paths';
import { ConfigError, JsonLogger, loadConfig } from '@app/platform';
import { createApp } from './app.factory';
import { prepareDatabase } from './bootstrap';

const main = async () => {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const database = await prepareDatabase(config, logger, { server: true });
  const app = await createApp({ config, databaseUrl: database.url, logger });
  await app.listen(config.port, config.host);
  logger.event('info', 'bootstrap', { msg: 'listening', url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/docs` });
  const stop = async () => {
    await app.close();
    await database.embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

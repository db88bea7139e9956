import '../../../libs/platform/src/register-paths';
import { ConfigError, JsonLogger, loadConfig } from '@app/platform';
import { createApp } from './app.factory';
import { prepareDatabase } from './bootstrap';
import { shutDownGracefully } from './shutdown';

const main = async () => {
  const config = loadConfig();
  const logger = new JsonLogger(config.logLevel);
  const database = await prepareDatabase(config, logger, { server: true });
  const app = await createApp({ config, databaseUrl: database.url, logger });
  await app.listen(config.port, config.host);
  logger.event('info', 'bootstrap', { msg: 'listening', url: `http://localhost:${config.port}`, docs: `http://localhost:${config.port}/docs` });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    shutDownGracefully(app, config, logger, signal, async () => database.embedded?.stop()).then(
      () => process.exit(0),
      (error) => {
        logger.error(error, undefined, 'shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});

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
  logger.event('info', 'bootstrap', {
    msg: 'listening',
    url: `http://localhost:${config.port}`,
    docs: `http://localhost:${config.port}/docs`,
  });
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

const explain = (error: unknown): unknown => {
  if (error instanceof ConfigError) return error.message;
  const { code, address, port } = error as { code?: string; address?: string; port?: number };
  if (code === 'EADDRINUSE')
    return `cannot listen on ${address}:${port}: the port is in use (another server running?); set PORT to another one`;
  if (code === 'EACCES') return `cannot listen on ${address}:${port}: not allowed for this user; set PORT to one above 1023`;
  return error;
};

main().catch((error) => {
  console.error(explain(error));
  process.exit(1);
});

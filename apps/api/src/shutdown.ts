import { INestApplication } from '@nestjs/common';
import { Server } from 'node:http';
import { AppConfig, JsonLogger, Readiness } from '@app/platform';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Stops the API in order, so that nothing in flight is lost and nothing runs against a closed pool: readiness turns
 * 503 at once; after SHUTDOWN_DELAY_MS the listener stops accepting connections; requests in flight finish (at most
 * SHUTDOWN_TIMEOUT_MS, then their connections are closed); then Nest's shutdown hooks stop the background work
 * (projections, the sealer, scheduled jobs: `beforeApplicationShutdown`) and close the pools (`onApplicationShutdown`);
 * last, `afterClose` (the embedded PostgreSQL, if this process started it).
 */
export const shutDownGracefully = async (
  app: INestApplication,
  config: Pick<AppConfig, 'shutdownDelayMs' | 'shutdownTimeoutMs'>,
  logger: JsonLogger,
  signal: string,
  afterClose: () => Promise<void>,
): Promise<void> => {
  const started = Date.now();
  app.get(Readiness).startDraining();
  logger.event('info', 'shutdown', { msg: 'shutting down: not ready for new traffic', signal });
  if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);

  const server = app.getHttpServer() as Server;
  const drained = new Promise<void>((done) => server.close(() => done()));
  // Keep-alive connections between requests would hold the server open; close each as soon as it is idle.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  const timedOut = await Promise.race([drained.then(() => false), sleep(config.shutdownTimeoutMs).then(() => true)]);
  clearInterval(idle);
  if (timedOut) {
    logger.event('warn', 'shutdown', {
      msg: 'requests still in flight after the shutdown timeout: closing their connections',
      timeoutMs: config.shutdownTimeoutMs,
    });
    server.closeAllConnections();
    await drained;
  }
  logger.event('info', 'shutdown', { msg: 'requests drained; stopping background work and pools', ms: Date.now() - started });
  await app.close();
  await afterClose();
  logger.event('info', 'shutdown', { msg: 'stopped', ms: Date.now() - started });
};

import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import {
  DEFAULT_MAX_BODY_DEPTH,
  JsonLogger,
  Metrics,
  PlatformOptions,
  cacheControl,
  corsOptions,
  inputGuard,
  loadHttpSettings,
  observability,
  validationPipe,
} from '@app/platform';
import { AppModule } from './app.module';
import { serveConsole } from './console';
import { openApiDocument } from './openapi';

/** Builds the HTTP application (used by main.ts, the end-to-end tests and the benchmarks). */
export const createApp = async (options: PlatformOptions): Promise<INestApplication> => {
  const logger = options.logger ?? new JsonLogger(options.config.logLevel);
  const metrics = options.metrics ?? new Metrics();
  const settings = loadHttpSettings(options.config.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...options, logger, metrics }), {
    logger,
    bufferLogs: false,
  });
  app.use(observability(logger, metrics));
  // helmet's defaults, less upgrade-insecure-requests: the docs page's own assets must load where the API is served
  // over plain HTTP behind a TLS-terminating proxy or on a developer's machine.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  if (settings.corsOrigins.length > 0) app.enableCors(corsOptions(settings.corsOrigins));
  app.use(cacheControl);
  app.useBodyParser('json', { limit: settings.bodyLimitBytes });
  app.useBodyParser('urlencoded', { limit: settings.bodyLimitBytes, extended: true });
  app.use(inputGuard({ maxDepth: DEFAULT_MAX_BODY_DEPTH }));
  app.useGlobalPipes(validationPipe());
  app.disable('x-powered-by');
  const document = openApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  serveConsole(app);
  return app;
};

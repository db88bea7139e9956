import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { JsonLogger, PlatformOptions, validationPipe } from '@app/platform';
import { AppModule } from './app.module';

/** Builds the HTTP application (used by main.ts, the end-to-end tests and the benchmarks). */
export const createApp = async (options: PlatformOptions): Promise<INestApplication> => {
  const logger = options.logger ?? new JsonLogger(options.config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...options, logger }), { logger, bufferLogs: false });
  app.useBodyParser('json', { limit: '256kb' });
  app.useGlobalPipes(validationPipe());
  app.disable('x-powered-by');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Advisory marketplace API')
      .setDescription(
        'Value-added subscriptions and regulated advisory products for a securities app. Every error answers ' +
          '`{ code, message, rule? }`; `rule` names the rulebook rule (docs/domain.md) that refused the request.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
};

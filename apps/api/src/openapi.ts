import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document the server serves at /docs-json (and `npm run openapi` writes to docs/openapi.json). */
export const openApiDocument = (app: INestApplication): OpenAPIObject =>
  SwaggerModule.createDocument(
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

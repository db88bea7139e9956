import { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { routeAccess } from '@app/identity';
import { ErrorResponse, completeDocument } from '@app/platform';

type Controller = abstract new (...args: never[]) => unknown;

/**
 * The OpenAPI document the server serves at /docs-json; `npm run openapi` writes the same document to docs/openapi.json
 * (a test fails when they differ) and `npm run lint:openapi` lints it. Built from the controllers' decorators, then
 * completed with what the guards and pipes decide (`completeDocument`).
 */
export const openApiDocument = (app: INestApplication): OpenAPIObject => {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Advisory marketplace API')
      .setDescription(
        'Value-added subscriptions and regulated advisory products for a securities app. Every error answers ' +
          '`{ code, message, rule?, details? }`; `rule` names the rulebook rule (docs/domain.md) that refused the request. ' +
          'Every route needs a bearer token (`POST /auth/login`) unless it says `security: []`.',
      )
      .setVersion('1')
      // package.json says UNLICENSED: no licence is granted; the URL is npm's definition of that word.
      .setLicense('UNLICENSED (proprietary: no licence is granted)', 'https://docs.npmjs.com/cli/v10/configuring-npm/package-json#license')
      .addServer('/', 'the server that serves this document')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .build(),
    // The refusals' schema, referred to by the responses completeDocument adds.
    { extraModels: [ErrorResponse] },
  );
  const controllers = [...app.get(ModulesContainer).values()].flatMap((module) =>
    [...module.controllers.values()].map((wrapper) => wrapper.metatype as Controller),
  );
  return completeDocument(document, controllers, routeAccess);
};

import '../../../libs/platform/src/register-paths';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JsonLogger, loadConfig } from '@app/platform';
import { AppModule } from './app.module';
import { openApiDocument } from './openapi';

const main = async () => {
  const secret = 'x'.repeat(32);
  const config = loadConfig({
    DATABASE_URL: 'postgres://unused/openapi',
    JWT_SECRET: secret,
    PII_MASTER_KEY: secret,
    AUDIT_SIGNING_KEY: secret,
    PAYMENTS_SANDBOX_SECRET: secret,
    LOG_LEVEL: 'error',
  });
  const app = await NestFactory.create(AppModule.forRoot({ config, databaseUrl: config.databaseUrl!, logger: new JsonLogger('error') }), {
    preview: true,
    logger: false,
  });
  const document = openApiDocument(app);
  const out = resolve(process.argv[2] ?? 'docs/openapi.json');
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
};
main().catch((e) => {
  console.error(e);
  process.exit(1);
});

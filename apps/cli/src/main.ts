import '../../../libs/platform/src/register-paths';
import { NestFactory } from '@nestjs/core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, JsonLogger, loadConfig } from '@app/platform';
import { AppModule } from '../../api/src/app.module';
import { prepareDatabase } from '../../api/src/bootstrap';
import { CliCommand, CliContext } from './cli-command';

/** Operator commands: `npm run cli -- <command> [args]`. Without a command, lists them. */
const loadCommands = (): CliCommand[] =>
  readdirSync(join(__dirname, 'commands'))
    .filter((file) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts') && !file.includes('.spec.'))
    .flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(join(__dirname, 'commands', file)) as Record<string, unknown>;
      return Object.values(exported).filter(
        (value): value is CliCommand => typeof value === 'object' && value !== null && 'run' in value && 'name' in value,
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name));

const main = async (): Promise<number> => {
  const [name, ...args] = process.argv.slice(2);
  const commands = loadCommands();
  const command = commands.find((candidate) => candidate.name === name);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (!command) {
    out(name ? `unknown command: ${name}\n` : '');
    out('usage: npm run cli -- <command> [args]\n');
    for (const known of commands) out(`  ${known.usage.padEnd(48)} ${known.description}`);
    return name ? 2 : 0;
  }
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', PROJECTIONS_DISABLED: 'true' });
  const logger = new JsonLogger(config.logLevel);
  const database = command.needsApp || command.needsDatabase ? await prepareDatabase(config, logger, { server: false }) : undefined;
  const app =
    command.needsApp && database
      ? await NestFactory.createApplicationContext(AppModule.forRoot({ config, databaseUrl: database.url, logger }), { logger })
      : undefined;
  const context: CliContext = { config, logger, databaseUrl: database?.url, app, out };
  try {
    return await command.run(args, context);
  } finally {
    await app?.close();
    await database?.embedded?.stop();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);

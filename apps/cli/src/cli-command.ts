import { INestApplicationContext } from '@nestjs/common';
import { AppConfig, JsonLogger } from '@app/platform';

/** One operator command. Files in ./commands export one each and are discovered by name. */
export interface CliCommand {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  /** Whether the command needs the database (and so the Nest application context). */
  readonly needsApp: boolean;
  /** Whether the command needs the database without the application context (migrations are applied either way). */
  readonly needsDatabase?: boolean;
  run(args: string[], context: CliContext): Promise<number>;
}

export interface CliContext {
  readonly config: AppConfig;
  readonly logger: JsonLogger;
  readonly databaseUrl?: string;
  /** The application context (providers, no HTTP server); projections do not run in the background. */
  readonly app?: INestApplicationContext;
  readonly out: (line: string) => void;
}

/** `--name value` or `--name=value`. */
export const option = (args: string[], name: string): string | undefined => {
  const index = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return undefined;
  const arg = args[index];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[index + 1];
};

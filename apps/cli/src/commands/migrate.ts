import { CliCommand } from '../cli-command';

/** Migrations run on every start; this command applies them without starting anything else. */
export const migrate: CliCommand = {
  name: 'migrate',
  usage: 'migrate',
  description: 'apply pending database migrations',
  needsApp: false,
  needsDatabase: true,
  run: async (_args, { out, databaseUrl }) => {
    out(`migrations applied to ${databaseUrl?.replace(/\/\/[^@]*@/, '//***@')}`);
    return 0;
  },
};

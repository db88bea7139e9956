import { resolve } from 'node:path';
import { embeddedPostgresUrl } from '@app/platform';
import { EMBEDDED_DATABASE } from '../../../api/src/bootstrap';
import { CliCommand } from '../cli-command';

/** The connection string an operator gives psql or another tool; reads the data folder only, starts nothing. */
export const dbUrl: CliCommand = {
  name: 'db:url',
  usage: 'db:url',
  description: "print the database's connection string (the embedded server's superuser, or DATABASE_URL)",
  needsApp: false,
  run: async (_args, { config, out }) => {
    if (config.databaseUrl) {
      out(config.databaseUrl);
      return 0;
    }
    const embedded = embeddedPostgresUrl(resolve(config.dataDir, 'pg'), EMBEDDED_DATABASE, config.embeddedPostgresPort);
    if (!embedded) {
      out(`no embedded PostgreSQL in ${resolve(config.dataDir, 'pg')} yet: run npm start (or npm run migrate) once`);
      return 1;
    }
    out(embedded.url);
    if (!embedded.running) process.stderr.write('(the embedded PostgreSQL is not running now: start it with npm start)\n');
    return 0;
  },
};

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every migration file in this folder (`<13-digit timestamp>-<context>.ts`), ordered by timestamp. Each context adds
 * its own file; applied migrations are never edited.
 */
type MigrationClass = new () => unknown;

export const loadMigrations = (): MigrationClass[] =>
  readdirSync(__dirname)
    .filter((file) => /^\d{13}-[\w-]+\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
    .sort()
    .flatMap((file) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(join(__dirname, file)) as Record<string, unknown>;
      return Object.values(exported).filter((value): value is MigrationClass => typeof value === 'function');
    });

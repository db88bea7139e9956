/**
 * Advisory configuration: the vault master key (PII_MASTER_KEY, base64 of 32 bytes; without it a key is generated
 * once into the data folder, which suits development only) and the working-day calendar for rescission
 * (ADVISORY_HOLIDAYS and ADVISORY_MAKEUP_WORKING_DAYS: comma-separated YYYY-MM-DD).
 */
import { AppConfig, ConfigError, persistentSecret } from '@app/platform';
import { WorkingDayCalendar } from '../domain';

export interface AdvisorySettings {
  readonly masterKey: Buffer;
  readonly calendar: WorkingDayCalendar;
}

export const ADVISORY_SETTINGS = Symbol('ADVISORY_SETTINGS');

const dates = (name: string, raw: string | undefined, problems: string[]): string[] => {
  const list = (raw ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of list) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) problems.push(`${name}: ${JSON.stringify(d)} is not a YYYY-MM-DD date`);
  }
  return list;
};

export const advisorySettings = (config: AppConfig): AdvisorySettings => {
  const problems: string[] = [];
  const encoded = config.env.PII_MASTER_KEY || persistentSecret(config.dataDir, 'pii-master.key');
  const masterKey = Buffer.from(encoded, 'base64');
  if (masterKey.length !== 32) problems.push('PII_MASTER_KEY: expected 32 bytes, base64-encoded');
  const calendar = {
    holidays: dates('ADVISORY_HOLIDAYS', config.env.ADVISORY_HOLIDAYS, problems),
    makeUpWorkingDays: dates('ADVISORY_MAKEUP_WORKING_DAYS', config.env.ADVISORY_MAKEUP_WORKING_DAYS, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { masterKey, calendar };
};

/**
 * Advisory configuration: the vault master keys (PII_MASTER_KEYS / PII_MASTER_KEY_ID, or one PII_MASTER_KEY: see
 * `parseMasterKeys`; without them a key is generated once into the data folder, for the embedded server only) and the working-day calendar for rescission
 * (ADVISORY_HOLIDAYS and ADVISORY_MAKEUP_WORKING_DAYS: comma-separated YYYY-MM-DD).
 */
import { AppConfig, ConfigError, persistentSecret } from '@app/platform';
import { WorkingDayCalendar } from '../domain';
import { MasterKeyRing, parseMasterKeys } from '../infrastructure/pii-vault';

export interface AdvisorySettings {
  readonly masterKeys: MasterKeyRing;
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
  const masterKeys = parseMasterKeys(config.env, () => persistentSecret(config.dataDir, 'pii-master.key'), problems);
  const calendar = {
    holidays: dates('ADVISORY_HOLIDAYS', config.env.ADVISORY_HOLIDAYS, problems),
    makeUpWorkingDays: dates('ADVISORY_MAKEUP_WORKING_DAYS', config.env.ADVISORY_MAKEUP_WORKING_DAYS, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { masterKeys, calendar };
};

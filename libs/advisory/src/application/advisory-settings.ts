/**
 * Advisory configuration: the working-day calendar for rescission (ADVISORY_HOLIDAYS and ADVISORY_MAKEUP_WORKING_DAYS:
 * comma-separated YYYY-MM-DD). The personal-data vault and its master key are the platform's (PiiVaultModule).
 */
import { AppConfig, ConfigError } from '@app/platform';
import { WorkingDayCalendar } from '../domain';

export interface AdvisorySettings {
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
  const calendar = {
    holidays: dates('ADVISORY_HOLIDAYS', config.env.ADVISORY_HOLIDAYS, problems),
    makeUpWorkingDays: dates('ADVISORY_MAKEUP_WORKING_DAYS', config.env.ADVISORY_MAKEUP_WORKING_DAYS, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return { calendar };
};

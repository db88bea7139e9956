/**
 * Advisory configuration: the working-day calendar for rescission (ADVISORY_HOLIDAYS and ADVISORY_MAKEUP_WORKING_DAYS:
 * comma-separated YYYY-MM-DD), the firm's assessment validity policy (A3: ADVISORY_ASSESSMENT_VALIDITY_MONTHS, 1–36,
 * default 12, and its version label ADVISORY_ASSESSMENT_VALIDITY_POLICY, default `AV-<months>M`) and the attribution
 * window (A5: ADVISORY_ATTRIBUTION_WINDOW_DAYS, default 30). The personal-data vault and its master key are the
 * platform's (PiiVaultModule).
 */
import { AppConfig, ConfigError } from '@app/platform';
import { AssessmentValidityPolicy, DEFAULT_ASSESSMENT_VALIDITY, MAX_ASSESSMENT_VALIDITY_MONTHS, WorkingDayCalendar } from '../domain';

export interface AdvisorySettings {
  readonly calendar: WorkingDayCalendar;
  readonly assessmentValidity: AssessmentValidityPolicy;
  readonly attributionWindowDays: number;
}

export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 30;

const wholeNumber = (name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number => {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    problems.push(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return value;
};

export const ADVISORY_SETTINGS = Symbol('ADVISORY_SETTINGS');

const dates = (name: string, raw: string | undefined, problems: string[]): string[] => {
  const list = (raw ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  for (const d of list) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      problems.push(`${name}: ${JSON.stringify(d)} is not a YYYY-MM-DD date`);
  }
  return list;
};

export const advisorySettings = (config: AppConfig): AdvisorySettings => {
  const problems: string[] = [];
  const calendar = {
    holidays: dates('ADVISORY_HOLIDAYS', config.env.ADVISORY_HOLIDAYS, problems),
    makeUpWorkingDays: dates('ADVISORY_MAKEUP_WORKING_DAYS', config.env.ADVISORY_MAKEUP_WORKING_DAYS, problems),
  };
  const months = wholeNumber(
    'ADVISORY_ASSESSMENT_VALIDITY_MONTHS',
    config.env.ADVISORY_ASSESSMENT_VALIDITY_MONTHS,
    DEFAULT_ASSESSMENT_VALIDITY.months,
    1,
    MAX_ASSESSMENT_VALIDITY_MONTHS,
    problems,
  );
  const version = config.env.ADVISORY_ASSESSMENT_VALIDITY_POLICY?.trim() || `AV-${months}M`;
  const attributionWindowDays = wholeNumber(
    'ADVISORY_ATTRIBUTION_WINDOW_DAYS',
    config.env.ADVISORY_ATTRIBUTION_WINDOW_DAYS,
    DEFAULT_ATTRIBUTION_WINDOW_DAYS,
    1,
    3650,
    problems,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  return { calendar, assessmentValidity: { version, months }, attributionWindowDays };
};

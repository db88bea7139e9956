import { randomBytes } from 'node:crypto';
import { AppConfig, ConfigError } from '@app/platform';
import { advisorySettings } from './advisory-settings';

const config = (env: Record<string, string>) => ({ dataDir: '/nonexistent', env }) as unknown as AppConfig;

describe('advisory configuration', () => {
  it('E3: takes a 32-byte base64 master key and the rescission calendar (A8)', () => {
    const key = randomBytes(32);
    const settings = advisorySettings(
      config({ PII_MASTER_KEY: key.toString('base64'), ADVISORY_HOLIDAYS: '2026-10-01, 2026-10-02', ADVISORY_MAKEUP_WORKING_DAYS: '2026-09-27' }),
    );
    expect(settings.masterKeys.keys.get(settings.masterKeys.currentId)!.equals(key)).toBe(true);
    expect(settings.calendar).toEqual({ holidays: ['2026-10-01', '2026-10-02'], makeUpWorkingDays: ['2026-09-27'] });
  });

  it('refuses to start with a short key or a malformed date, naming each variable', () => {
    const attempt = () => advisorySettings(config({ PII_MASTER_KEY: randomBytes(16).toString('base64'), ADVISORY_HOLIDAYS: '1 Oct' }));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/PII_MASTER_KEY[\s\S]*ADVISORY_HOLIDAYS/);
  });

  it('A3/A5: the assessment validity is the firm policy (default 12 months, versioned) and the attribution window defaults to 30 days', () => {
    const key = randomBytes(32).toString('base64');
    expect(advisorySettings(config({ PII_MASTER_KEY: key }))).toMatchObject({ assessmentValidity: { version: 'AV-12M', months: 12 }, attributionWindowDays: 30 });
    const configured = advisorySettings(
      config({ PII_MASTER_KEY: key, ADVISORY_ASSESSMENT_VALIDITY_MONTHS: '6', ADVISORY_ASSESSMENT_VALIDITY_POLICY: 'AVP-2026.2', ADVISORY_ATTRIBUTION_WINDOW_DAYS: '14' }),
    );
    expect(configured).toMatchObject({ assessmentValidity: { version: 'AVP-2026.2', months: 6 }, attributionWindowDays: 14 });
    const attempt = () => advisorySettings(config({ PII_MASTER_KEY: key, ADVISORY_ASSESSMENT_VALIDITY_MONTHS: '37', ADVISORY_ATTRIBUTION_WINDOW_DAYS: 'x' }));
    expect(attempt).toThrow(/ADVISORY_ASSESSMENT_VALIDITY_MONTHS[\s\S]*ADVISORY_ATTRIBUTION_WINDOW_DAYS/);
  });
});

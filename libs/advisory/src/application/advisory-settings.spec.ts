import { AppConfig, ConfigError } from '@app/platform';
import { advisorySettings } from './advisory-settings';

const config = (env: Record<string, string>) => ({ dataDir: '/nonexistent', env }) as unknown as AppConfig;

describe('advisory configuration', () => {
  it('A8: takes the rescission calendar', () => {
    const settings = advisorySettings(config({ ADVISORY_HOLIDAYS: '2026-10-01, 2026-10-02', ADVISORY_MAKEUP_WORKING_DAYS: '2026-09-27' }));
    expect(settings.calendar).toEqual({ holidays: ['2026-10-01', '2026-10-02'], makeUpWorkingDays: ['2026-09-27'] });
  });

  it('refuses to start with a malformed date, naming the variable', () => {
    const attempt = () => advisorySettings(config({ ADVISORY_HOLIDAYS: '1 Oct' }));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/ADVISORY_HOLIDAYS/);
  });

  it('A3/A5: the assessment validity is the firm policy (default 12 months, versioned) and the attribution window defaults to 30 days', () => {
    expect(advisorySettings(config({}))).toMatchObject({
      assessmentValidity: { version: 'AV-12M', months: 12 },
      attributionWindowDays: 30,
    });
    const configured = advisorySettings(
      config({
        ADVISORY_ASSESSMENT_VALIDITY_MONTHS: '6',
        ADVISORY_ASSESSMENT_VALIDITY_POLICY: 'AVP-2026.2',
        ADVISORY_ATTRIBUTION_WINDOW_DAYS: '14',
      }),
    );
    expect(configured).toMatchObject({ assessmentValidity: { version: 'AVP-2026.2', months: 6 }, attributionWindowDays: 14 });
    const attempt = () => advisorySettings(config({ ADVISORY_ASSESSMENT_VALIDITY_MONTHS: '37', ADVISORY_ATTRIBUTION_WINDOW_DAYS: 'x' }));
    expect(attempt).toThrow(/ADVISORY_ASSESSMENT_VALIDITY_MONTHS[\s\S]*ADVISORY_ATTRIBUTION_WINDOW_DAYS/);
  });
});

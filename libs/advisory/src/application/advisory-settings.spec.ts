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
});

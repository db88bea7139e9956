import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  const base = { DATA_DIR: '.data/test-config', JWT_SECRET: 'x'.repeat(32) };

  it('starts with no configuration at all', () => {
    const config = loadConfig({ DATA_DIR: '.data/test-config' });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: '.data/test-config' }).jwtSecret).toBe(config.jwtSecret);
  });

  it('reports every bad value with its name and what is expected', () => {
    try {
      loadConfig({ ...base, PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', JWT_SECRET: 'short', BOOTSTRAP_ADMIN_EMAIL: 'a@b.c' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT="eighty": expected an integer/);
      expect(problems).toMatch(/DATABASE_URL: expected a postgres/);
      expect(problems).toMatch(/LOG_LEVEL="loud": expected one of/);
      expect(problems).toMatch(/JWT_SECRET: expected at least 32/);
      expect(problems).toMatch(/BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD/);
    }
  });
});

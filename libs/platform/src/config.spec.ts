import { existsSync } from 'node:fs';
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
      loadConfig({
        ...base,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        JWT_SECRET: 'short',
        BOOTSTRAP_ADMIN_EMAIL: 'a@b.c',
      });
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

  describe('secrets with a shared database or in production', () => {
    const secrets = {
      JWT_SECRET: 'j'.repeat(32),
      PII_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      AUDIT_SIGNING_KEY: Buffer.alloc(32, 2).toString('base64'),
      PAYMENTS_SANDBOX_SECRET: 'p'.repeat(32),
    };
    const problemsOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };

    it('refuses to start with DATABASE_URL and no secrets, one line per missing value', () => {
      const problems = problemsOf({ DATA_DIR: '.data/test-config', DATABASE_URL: 'postgres://db.example/app' });
      expect(problems).toEqual([
        expect.stringMatching(/^JWT_SECRET: required because DATABASE_URL is set/),
        expect.stringMatching(/^PII_MASTER_KEYS or PII_MASTER_KEY: required because DATABASE_URL is set/),
        expect.stringMatching(/^AUDIT_SIGNING_KEY: required because DATABASE_URL is set/),
        expect.stringMatching(/^PAYMENTS_SANDBOX_SECRET: required because DATABASE_URL is set/),
      ]);
    });

    it('refuses to start in production even on the embedded server, naming only what is missing', () => {
      const { AUDIT_SIGNING_KEY: _missing, ...rest } = secrets;
      expect(problemsOf({ DATA_DIR: '.data/test-config', NODE_ENV: 'production', ...rest })).toEqual([
        expect.stringMatching(/^AUDIT_SIGNING_KEY: required because NODE_ENV=production/),
      ]);
    });

    it('starts with every secret given, and generates none', () => {
      const config = loadConfig({ DATA_DIR: '.data/test-config-none', DATABASE_URL: 'postgres://db.example/app', ...secrets });
      expect(config.generatedSecrets).toBe(false);
      expect(config.jwtSecret).toBe(secrets.JWT_SECRET);
      expect(
        loadConfig({
          DATA_DIR: '.data/test-config-none',
          NODE_ENV: 'production',
          ...secrets,
          PII_MASTER_KEY: '',
          PII_MASTER_KEYS: `k1:${secrets.PII_MASTER_KEY}`,
        }).generatedSecrets,
      ).toBe(false);
      expect(existsSync('.data/test-config-none/jwt-secret')).toBe(false);
    });

    it('generates development secrets for the embedded server only', () => {
      expect(loadConfig({ DATA_DIR: '.data/test-config' }).generatedSecrets).toBe(true);
    });
  });
});

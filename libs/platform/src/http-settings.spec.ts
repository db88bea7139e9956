import { ConfigError } from './config';
import { loadHttpSettings } from './http-settings';

describe('HTTP settings', () => {
  it('defaults to a 256 KiB body limit and no CORS', () => {
    expect(loadHttpSettings({})).toEqual({ bodyLimitBytes: 256 * 1024, corsOrigins: [] });
  });

  it('reads an allow-list of origins', () => {
    expect(loadHttpSettings({ CORS_ORIGINS: ' https://app.example.com ,http://localhost:5173', HTTP_BODY_LIMIT_KB: '1024' })).toEqual({
      bodyLimitBytes: 1024 * 1024,
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
    });
  });

  it('refuses wildcards, paths and bad limits, one line each', () => {
    const attempt = () => loadHttpSettings({ CORS_ORIGINS: '*,https://a.example/path', HTTP_BODY_LIMIT_KB: '0' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });
});

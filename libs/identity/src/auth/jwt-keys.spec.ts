import { ConfigError, loadConfig } from '@app/platform';
import { JwtKeys, headerKeyId, keyIdOf } from './jwt-keys';

const current = 'c'.repeat(40);
const previous = 'p'.repeat(40);
const header = (fields: Record<string, unknown>) =>
  `${Buffer.from(JSON.stringify({ alg: 'HS256', ...fields })).toString('base64url')}.e30.sig`;

describe('JWT keys: rotation by key id', () => {
  it('names each secret by a stable fingerprint that does not show the secret', () => {
    expect(keyIdOf(current)).toBe(keyIdOf(current));
    expect(keyIdOf(current)).not.toBe(keyIdOf(previous));
    expect(keyIdOf(current)).not.toContain('ccc');
  });

  it('verifies with the key a token names, the signing key for a token without a kid, and nothing for an unknown kid', () => {
    const keys = new JwtKeys({ jwtSecret: current, jwtPreviousSecrets: [previous] });
    expect(keys.signingKeyId).toBe(keyIdOf(current));
    expect(keys.verifying(keyIdOf(previous))?.export().toString()).toBe(previous);
    expect(keys.verifying(undefined)?.export().toString()).toBe(current);
    expect(keys.verifying('someone-elses-key')).toBeUndefined();
  });

  it("reads the kid of a token's header, and nothing from garbage", () => {
    expect(headerKeyId(header({ kid: 'k1' }))).toBe('k1');
    expect(headerKeyId(header({}))).toBeUndefined();
    expect(headerKeyId('not a token')).toBeUndefined();
  });

  it('takes earlier secrets from JWT_PREVIOUS_SECRETS and refuses short ones', () => {
    const config = loadConfig({
      DATA_DIR: '.data/test-config',
      JWT_SECRET: current,
      JWT_PREVIOUS_SECRETS: ` ${previous} , ${'q'.repeat(32)}`,
    });
    expect(config.jwtPreviousSecrets).toEqual([previous, 'q'.repeat(32)]);
    expect(() => loadConfig({ DATA_DIR: '.data/test-config', JWT_SECRET: current, JWT_PREVIOUS_SECRETS: 'short' })).toThrow(ConfigError);
  });
});

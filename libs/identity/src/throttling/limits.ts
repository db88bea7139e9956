import { AppConfig, ConfigError } from '@app/platform';

/** A rate: at most `limit` in `windowMs`; a caller beyond it waits `blockMs`. A limit of 0 turns it off. */
export interface Rate {
  readonly limit: number;
  readonly windowMs: number;
  readonly blockMs: number;
}

export interface Limits {
  /** Login and registration requests per client address. */
  readonly authPerAddress: Rate;
  /** Registrations per email address. */
  readonly registrationsPerAccount: Rate;
  /** Failed logins (or password checks) per account before it is locked for `blockMs`. */
  readonly loginFailures: Rate;
  /** Money-moving requests per user. */
  readonly moneyPerUser: Rate;
}

/** `LIMIT/SECONDS` (e.g. `30/60`), or `0` / `off`. */
const rate = (config: AppConfig, name: string, fallback: string, blockSeconds: number | 'window', problems: string[]): Rate => {
  const raw = (config.env[name] ?? '').trim() || fallback;
  if (raw === '0' || raw === 'off') return { limit: 0, windowMs: 1000, blockMs: 0 };
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(raw);
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    problems.push(`${name}=${JSON.stringify(raw)}: expected LIMIT/SECONDS (e.g. ${fallback}), or off`);
    return { limit: 0, windowMs: 1000, blockMs: 0 };
  }
  const windowMs = Number(match[2]) * 1000;
  return { limit: Number(match[1]), windowMs, blockMs: blockSeconds === 'window' ? windowMs : blockSeconds * 1000 };
};

export const loadLimits = (config: AppConfig): Limits => {
  const problems: string[] = [];
  const lockoutRaw = config.env.LOGIN_LOCKOUT_SECONDS;
  const lockoutSeconds = lockoutRaw === undefined || lockoutRaw === '' ? 900 : Number(lockoutRaw);
  if (!Number.isInteger(lockoutSeconds) || lockoutSeconds < 1 || lockoutSeconds > 86_400) {
    problems.push(`LOGIN_LOCKOUT_SECONDS=${JSON.stringify(lockoutRaw)}: expected an integer from 1 to 86400`);
  }
  const limits: Limits = {
    authPerAddress: rate(config, 'AUTH_RATE_LIMIT', '30/60', 'window', problems),
    registrationsPerAccount: rate(config, 'REGISTRATION_RATE_LIMIT', '5/3600', 'window', problems),
    loginFailures: rate(config, 'LOGIN_FAILURE_LIMIT', '10/900', lockoutSeconds, problems),
    moneyPerUser: rate(config, 'MONEY_RATE_LIMIT', '100/60', 'window', problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return limits;
};

/** The reach context's configuration (REACH_*), validated at start-up. */
import { createHmac } from 'node:crypto';
import { AppConfig, ConfigError } from '@app/platform';
import { CHANNELS, DEFAULT_REACH_POLICY, isChannel, parseQuietHours, ReachChannel, ReachPolicy } from '../domain';

export const REACH_SETTINGS = Symbol('REACH_SETTINGS');

export interface ReachSettings {
  readonly policy: ReachPolicy;
  /** Investors per page of a fan-out's segment (REACH_BATCH_SIZE, default 1000); a batch is one or more pages. */
  readonly batchSize: number;
  /**
   * Pages a fan-out prepares ahead of the append (REACH_FANOUT_AHEAD, default 4): their consent (G1), suitability and
   * attribution (G3, G4) run side by side while batches are appended in order; an append takes every page already
   * prepared, so a batch holds 1 to this many pages.
   */
  readonly fanOutAhead: number;
  /** How often the scheduler looks for due, triggered and interrupted campaigns and undelivered messages (0: off). */
  readonly tickMs: number;
  readonly unsubscribeSecret: string;
  /** Sandbox channels that fail every delivery (REACH_SANDBOX_FAILING=sms,wechat). */
  readonly sandboxFailing: readonly ReachChannel[];
}

const integer = (config: AppConfig, name: string, fallback: number, min: number, problems: string[]): number => {
  const raw = config.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) problems.push(`${name}=${JSON.stringify(raw)}: expected an integer ≥ ${min}`);
  return value;
};

export const reachSettings = (config: AppConfig): ReachSettings => {
  const problems: string[] = [];
  const quietRaw = config.env.REACH_QUIET_HOURS;
  const quietHours = quietRaw === undefined || quietRaw === '' ? DEFAULT_REACH_POLICY.quietHours : parseQuietHours(quietRaw);
  if (!quietHours) problems.push(`REACH_QUIET_HOURS=${JSON.stringify(quietRaw)}: expected HH:MM-HH:MM in Beijing time`);
  const caps = Object.fromEntries(
    CHANNELS.map((channel) => {
      const name = channel.toUpperCase();
      const fallback = DEFAULT_REACH_POLICY.caps[channel];
      const perDay = integer(config, `REACH_CAP_${name}_DAY`, fallback.perDay, 0, problems);
      const perWeek = integer(config, `REACH_CAP_${name}_WEEK`, fallback.perWeek, 0, problems);
      if (perDay > perWeek) problems.push(`REACH_CAP_${name}_DAY must not exceed REACH_CAP_${name}_WEEK`);
      return [channel, { perDay, perWeek }];
    }),
  ) as ReachPolicy['caps'];
  const failing = (config.env.REACH_SANDBOX_FAILING ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = failing.filter((channel) => !isChannel(channel));
  if (unknown.length) problems.push(`REACH_SANDBOX_FAILING: unknown channels ${unknown.join(', ')}`);
  const settings: ReachSettings = {
    policy: { quietHours: quietHours ?? DEFAULT_REACH_POLICY.quietHours, caps },
    batchSize: integer(config, 'REACH_BATCH_SIZE', 1000, 1, problems),
    fanOutAhead: integer(config, 'REACH_FANOUT_AHEAD', 4, 1, problems),
    tickMs: integer(config, 'REACH_TICK_MS', 30_000, 0, problems),
    // Its own key when given; otherwise derived from the token secret, so it never equals a signing key in use.
    unsubscribeSecret:
      config.env.REACH_UNSUBSCRIBE_SECRET || createHmac('sha256', config.jwtSecret).update('reach.unsubscribe').digest('base64url'),
    sandboxFailing: failing.filter(isChannel),
  };
  if (problems.length) throw new ConfigError(problems);
  return settings;
};

import { DEFAULT_TIPPING_POLICY, TippingPolicy } from '@app/common';
import { AppConfig, ConfigError } from '@app/platform';
import { DEFAULT_MODERATION_POLICY, ModerationPolicy, RevenueShare } from '../domain';

export const COMMUNITY_SETTINGS = Symbol('COMMUNITY_SETTINGS');

export interface CommunitySettings {
  /** COMMUNITY_HOST_SHARE_BPS: the host's share of a tip in basis points (default 7000 = 70 %). */
  readonly share: RevenueShare;
  /** COMMUNITY_PAYOUT_MIN_MINOR: the smallest payout (default 10000 = CNY 100.00). */
  readonly payoutMinimumMinor: number;
  /** COMMUNITY_REPEAT_OFFENDER_AT, COMMUNITY_THROTTLE_SECONDS. */
  readonly moderation: ModerationPolicy;
  /** The V4 bounds and cap: the same TIP_* variables as value-added's tips. */
  readonly tipping: TippingPolicy;
}

export const communitySettings = (config: AppConfig): CommunitySettings => {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = config.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max)
      problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
    return value;
  };
  const settings: CommunitySettings = {
    share: { hostBps: int('COMMUNITY_HOST_SHARE_BPS', 7000, 0, 10_000) },
    payoutMinimumMinor: int('COMMUNITY_PAYOUT_MIN_MINOR', 10_000, 1, 100_000_000),
    moderation: {
      repeatOffenderAt: int('COMMUNITY_REPEAT_OFFENDER_AT', DEFAULT_MODERATION_POLICY.repeatOffenderAt, 1, 1000),
      throttleSeconds: int('COMMUNITY_THROTTLE_SECONDS', DEFAULT_MODERATION_POLICY.throttleSeconds, 1, 86_400),
    },
    tipping: {
      ...DEFAULT_TIPPING_POLICY,
      minMinor: int('TIP_MIN_MINOR', DEFAULT_TIPPING_POLICY.minMinor, 1, Number.MAX_SAFE_INTEGER),
      maxMinor: int('TIP_MAX_MINOR', DEFAULT_TIPPING_POLICY.maxMinor, 1, Number.MAX_SAFE_INTEGER),
      dailyCapMinor: int('TIP_DAILY_CAP_MINOR', DEFAULT_TIPPING_POLICY.dailyCapMinor, 1, Number.MAX_SAFE_INTEGER),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return settings;
};

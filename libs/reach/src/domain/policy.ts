/**
 * The reach policy (G1, G2): the channels a message can go through, quiet hours in Asia/Shanghai and frequency caps per
 * investor per channel per Beijing day and ISO week. Times are instants in, Beijing calendar facts out; China keeps no
 * daylight saving, so Beijing time is UTC+8 all year.
 */
export const CHANNELS = ['in_app', 'push', 'sms', 'wechat'] as const;
export type ReachChannel = (typeof CHANNELS)[number];
export const isChannel = (value: unknown): value is ReachChannel =>
  typeof value === 'string' && (CHANNELS as readonly string[]).includes(value);

export interface ChannelCaps {
  readonly perDay: number;
  readonly perWeek: number;
}

export interface ReachPolicy {
  /** Minutes after Beijing midnight: quiet from `startMinute` to `endMinute` (may wrap past midnight). */
  readonly quietHours: { readonly startMinute: number; readonly endMinute: number };
  readonly caps: Readonly<Record<ReachChannel, ChannelCaps>>;
}

export const DEFAULT_REACH_POLICY: ReachPolicy = {
  quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
  caps: {
    in_app: { perDay: 3, perWeek: 10 },
    push: { perDay: 2, perWeek: 5 },
    sms: { perDay: 1, perWeek: 2 },
    wechat: { perDay: 1, perWeek: 3 },
  },
};

const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Beijing calendar date of an instant, `YYYY-MM-DD`. */
export const beijingDay = (at: string): string => new Date(Date.parse(at) + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** The Monday (Beijing date) that starts the ISO week of an instant: the key of its weekly cap. */
export const beijingWeek = (at: string): string => {
  const local = new Date(Date.parse(at) + BEIJING_OFFSET_MS);
  const sinceMonday = (local.getUTCDay() + 6) % 7;
  return new Date(Date.parse(local.toISOString().slice(0, 10)) - sinceMonday * DAY_MS).toISOString().slice(0, 10);
};

/** G2: when the quiet hours around `at` end (an ISO instant), or null when `at` is not in quiet hours. */
export const quietUntil = (policy: ReachPolicy, at: string): string | null => {
  const { startMinute, endMinute } = policy.quietHours;
  if (startMinute === endMinute) return null;
  const localMs = Date.parse(at) + BEIJING_OFFSET_MS;
  const midnight = Math.floor(localMs / DAY_MS) * DAY_MS;
  const minute = Math.floor((localMs - midnight) / 60_000);
  const wraps = startMinute > endMinute;
  const quiet = wraps ? minute >= startMinute || minute < endMinute : minute >= startMinute && minute < endMinute;
  if (!quiet) return null;
  const endsNextDay = wraps && minute >= startMinute;
  const endLocal = midnight + (endsNextDay ? DAY_MS : 0) + endMinute * 60_000;
  return new Date(endLocal - BEIJING_OFFSET_MS).toISOString();
};

/** `HH:MM-HH:MM` in Beijing time, as configured. */
export const parseQuietHours = (text: string): ReachPolicy['quietHours'] | null => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) return null;
  return { startMinute: Number(match[1]) * 60 + Number(match[2]), endMinute: Number(match[3]) * 60 + Number(match[4]) };
};

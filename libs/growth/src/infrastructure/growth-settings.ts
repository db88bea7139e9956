/** The growth context's settings (G7), from the environment, checked at start-up. */
import { AppConfig, ConfigError } from '@app/platform';

export class GrowthSettings {
  constructor(
    /** Days of activity kept (GROWTH_ACTIVITY_RETENTION_DAYS, default 180): older partitions are dropped. */
    readonly retentionDays: number,
    /** Days of partitions created ahead of today (GROWTH_PARTITIONS_AHEAD_DAYS, default 7). */
    readonly partitionsAheadDays: number,
    /** Most events in one ingest request (GROWTH_INGEST_MAX_EVENTS, default 500). */
    readonly maxBatch: number,
    /** Milliseconds between two foldings of the counter deltas (GROWTH_COUNTERS_COMPACT_MS, default 1000). */
    readonly countersCompactMs: number = 1000,
  ) {}

  static from(config: AppConfig): GrowthSettings {
    const problems: string[] = [];
    const read = (name: string, fallback: number, min: number, max: number): number => {
      const raw = config.env[name];
      if (raw === undefined || raw === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max)
        problems.push(`${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
      return value;
    };
    const settings = new GrowthSettings(
      read('GROWTH_ACTIVITY_RETENTION_DAYS', 180, 1, 3650),
      read('GROWTH_PARTITIONS_AHEAD_DAYS', 7, 1, 60),
      read('GROWTH_INGEST_MAX_EVENTS', 500, 1, 10000),
      read('GROWTH_COUNTERS_COMPACT_MS', 1000, 50, 600_000),
    );
    if (problems.length) throw new ConfigError(problems);
    return settings;
  }
}

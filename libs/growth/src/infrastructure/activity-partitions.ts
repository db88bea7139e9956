/**
 * The daily partitions of `growth_activity` (native declarative partitioning, one per Beijing calendar day) and the
 * retention job (G7): partitions are created ahead of time (and on demand for a late day still within retention),
 * and partitions older than the retention period are dropped whole, which deletes nothing row by row and leaves no
 * bloat. The per-investor rollups (daily, weekly, monthly activity) and their counters are trimmed to the same period.
 */
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@app/common';
import { JsonLogger } from '@app/platform';
import { addDays, beijingDay, dayStart } from '../domain/calendar';
import { GrowthCounters } from './growth-counters';
import { GrowthSettings } from './growth-settings';

const PARTITION = /^growth_activity_p(\d{4})(\d{2})(\d{2})$/;
const LOCK = "hashtext('growth.activity-partitions')";
const HOUR_MS = 3600_000;

export const partitionName = (day: string) => `growth_activity_p${day.replaceAll('-', '')}`;

export interface RetentionOutcome {
  readonly dropped: readonly string[];
  readonly cutoffDay: string;
}

@Injectable()
export class ActivityPartitions implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly known = new Set<string>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly settings: GrowthSettings,
    private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintain();
    this.timer = setInterval(
      () =>
        void this.maintain().catch((error: unknown) =>
          this.logger.event('error', 'growth', { message: 'partition maintenance failed', error: String(error) }),
        ),
      HOUR_MS,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The first day still retained: activity before it is dropped and not accepted. */
  firstRetainedDay(now = this.clock.now()): string {
    return addDays(beijingDay(now), -(this.settings.retentionDays - 1));
  }

  /** Creates the partitions ahead and drops the expired ones. */
  async maintain(): Promise<RetentionOutcome> {
    const today = beijingDay(this.clock.now());
    await this.ensure(Array.from({ length: this.settings.partitionsAheadDays + 1 }, (_, i) => addDays(today, i)));
    return this.dropExpired();
  }

  async existing(db: DataSource | EntityManager = this.dataSource): Promise<string[]> {
    const rows: { name: string }[] = await db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'growth_activity'::regclass ORDER BY 1`,
    );
    return rows.map((row) => row.name);
  }

  /** Makes sure each day has its partition (one transaction, serialised across instances by an advisory lock). */
  async ensure(days: readonly string[]): Promise<void> {
    const missing = [...new Set(days)].filter((day) => !this.known.has(day));
    if (missing.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
      const present = new Set(await this.existing(manager));
      for (const day of missing) {
        const name = partitionName(day);
        if (!present.has(name)) {
          await manager.query(
            `CREATE TABLE ${name} PARTITION OF growth_activity FOR VALUES FROM ('${dayStart(day).toISOString()}') TO ('${dayStart(addDays(day, 1)).toISOString()}')`,
          );
        }
      }
    });
    for (const day of missing) this.known.add(day);
  }

  /** Drops every partition of a day before the first retained day, and trims the per-investor rollups likewise. */
  async dropExpired(): Promise<RetentionOutcome> {
    const cutoffDay = this.firstRetainedDay();
    const dropped: string[] = [];
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
      for (const name of await this.existing(manager)) {
        const match = PARTITION.exec(name);
        if (!match) continue;
        const day = `${match[1]}-${match[2]}-${match[3]}`;
        if (day < cutoffDay) {
          await manager.query(`DROP TABLE ${name}`);
          this.known.delete(day);
          dropped.push(name);
        }
      }
      await manager.query('DELETE FROM growth_daily_active WHERE day < $1::date', [cutoffDay]);
      await manager.query(`DELETE FROM growth_weekly_active WHERE week < date_trunc('week', $1::date)::date - 7`, [cutoffDay]);
      await manager.query(`DELETE FROM growth_monthly_active WHERE month < date_trunc('month', $1::date)::date - interval '1 month'`, [
        cutoffDay,
      ]);
      await GrowthCounters.trim(manager, cutoffDay);
    });
    if (dropped.length) this.logger.event('info', 'growth', { message: 'activity partitions dropped (retention, G7)', dropped, cutoffDay });
    return { dropped, cutoffDay };
  }
}

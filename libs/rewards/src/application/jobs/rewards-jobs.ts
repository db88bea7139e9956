import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Clock, DomainError, systemContext } from '@app/common';
import { LogDatabase } from '@app/event-store';
import { AggregateStore, JsonLogger } from '@app/platform';
import { ExpirePointsCommand, SettleRoundCommand } from '../commands/up-down.handler';
import { REWARDS_SETTINGS, RewardsSettings } from '../rewards-settings';

export interface RewardsJobRun {
  readonly ledgersExpired: number;
  readonly pointsExpired: number;
  readonly roundsSettled: number;
  readonly roundsWaiting: number;
}

const BATCH = 500;

/**
 * Points expiry (first in, first out: the oldest lots are due first) and up/down round settlement once the feed has
 * the close. On one instance at a time (an advisory lock per tick); safe twice anyway, since an expiry or a settlement
 * decided again changes nothing.
 */
@Injectable()
export class RewardsJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly commands: CommandBus,
    private readonly aggregates: AggregateStore,
    private readonly database: LogDatabase,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(REWARDS_SETTINGS) private readonly settings: RewardsSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!(this.settings.jobIntervalMs > 0)) return;
    this.timer = setInterval(() => {
      this.runScheduled().catch((error) => this.logger.error(error, undefined, 'rewards:jobs'));
    }, this.settings.jobIntervalMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async runScheduled(): Promise<RewardsJobRun | undefined> {
    return this.aggregates.events.transaction(async (tx) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', ['rewards.jobs']);
      return rows[0]?.locked ? this.runOnce() : undefined;
    });
  }

  async runOnce(): Promise<RewardsJobRun> {
    const now = this.clock.now();
    const context = systemContext(now, `rewards-jobs:${now.toISOString()}`);
    const pool = this.database;
    let ledgersExpired = 0;
    let pointsExpired = 0;
    const { rows: due } = await pool.query<{ investor_id: string }>(
      'SELECT investor_id FROM rewards_ledgers WHERE next_expiry <= $1 ORDER BY next_expiry LIMIT $2',
      [now, BATCH],
    );
    for (const { investor_id: investorId } of due) {
      const { expired } = await this.commands.execute<ExpirePointsCommand, { expired: number }>(
        new ExpirePointsCommand(investorId, context),
      );
      if (expired > 0) ledgersExpired++;
      pointsExpired += expired;
    }
    let roundsSettled = 0;
    let roundsWaiting = 0;
    const { rows: rounds } = await pool.query<{ round_id: string }>(
      `SELECT round_id FROM rewards_up_down_rounds WHERE status = 'open' AND cutoff_at <= $1 ORDER BY cutoff_at LIMIT $2`,
      [now, BATCH],
    );
    for (const { round_id: roundId } of rounds) {
      try {
        await this.commands.execute(new SettleRoundCommand(roundId, context));
        roundsSettled++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        roundsWaiting++; // no close yet, or the campaign's budget refuses: tried again next tick
        if (error.code !== 'UPDOWN.NO_CLOSE_YET')
          this.logger.warn(`round ${roundId} not settled: ${error.code} ${error.message}`, 'rewards:jobs');
      }
    }
    return { ledgersExpired, pointsExpired, roundsSettled, roundsWaiting };
  }
}

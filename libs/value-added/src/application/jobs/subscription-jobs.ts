import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock, CommandContext, DomainError, IdGenerator, systemContext } from '@app/common';
import { CatalogQueries } from '@app/catalog';
import { PaymentsService } from '@app/payments';
import { AggregateStore, APP_CONFIG, AppConfig, IdempotencyService, JsonLogger } from '@app/platform';
import { LogDatabase } from '@app/event-store';
import {
  SubscriptionEvent,
  SubscriptionEventTypes,
  nextRenewal,
  subscriptionDecider,
  subscriptionStreamId,
} from '../../domain/subscription';
import { subscriptionPaymentReference } from '../subscription-streams';

export interface JobRun {
  readonly renewalsRequested: number;
  readonly expired: number;
  readonly skipped: number;
}

interface Due {
  subscription_id: string;
  investor_id: string;
  listing_id: string;
}

/**
 * Renews subscriptions whose period ends within the renewal lead (SUBSCRIPTION_RENEW_AHEAD_MINUTES, default 60, so
 * that a successful charge leaves no gap in access) and expires those canceled at period end or past their grace.
 * Safe to run twice at once and on several instances: each renewal is decided against the subscription stream with
 * optimistic concurrency, the decider refuses a period that is already renewed or being renewed, and the renewal's
 * payment request is appended in the same transaction, so a losing run leaves nothing behind.
 */
@Injectable()
export class SubscriptionJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly renewAheadMs: number;

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly catalog: CatalogQueries,
    private readonly payments: PaymentsService,
    private readonly idempotency: IdempotencyService,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly database: LogDatabase,
  ) {
    this.intervalMs = Number(config.env.SUBSCRIPTION_JOB_INTERVAL_MS ?? 60_000);
    this.renewAheadMs = Number(config.env.SUBSCRIPTION_RENEW_AHEAD_MINUTES ?? 60) * 60_000;
  }

  onApplicationBootstrap(): void {
    if (!(this.intervalMs > 0)) return;
    this.timer = setInterval(() => {
      this.runScheduled().catch((error) => this.logger.error(error, undefined, 'value-added:jobs'));
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Before the pools close (their hooks run later). */
  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * The timer's run, on one instance at a time: the instance whose transaction takes the job's advisory lock runs it;
   * the others skip this tick. A run would be safe twice (see above); the lock saves the duplicate work. An instance that
   * dies mid-run drops its connection and so the lock, and the next tick anywhere runs the job.
   */
  async runScheduled(): Promise<JobRun | undefined> {
    return this.aggregates.events.transaction(async (tx) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        'value-added.subscription-jobs',
      ]);
      return rows[0]?.locked ? this.runOnce() : undefined;
    });
  }

  async runOnce(): Promise<JobRun> {
    const now = this.clock.now();
    const context = systemContext(now, `subscription-jobs:${now.toISOString()}`);
    let renewalsRequested = 0;
    let expired = 0;
    let skipped = 0;
    const pool = this.database;
    const { rows: due } = await pool.query<Due & Record<string, unknown>>(
      `SELECT subscription_id, investor_id, listing_id FROM va_subscriptions
        WHERE status IN ('active', 'trialing') AND NOT cancel_at_period_end AND pending_payment_id IS NULL AND period_end <= $1
        ORDER BY period_end LIMIT 500`,
      [new Date(now.getTime() + this.renewAheadMs)],
    );
    for (const row of due) {
      if (await this.renew(row, context)) renewalsRequested++;
      else skipped++;
    }
    const { rows: ending } = await pool.query<Due & Record<string, unknown>>(
      `SELECT subscription_id, investor_id, listing_id FROM va_subscriptions
        WHERE (status IN ('active', 'trialing', 'past_due') AND cancel_at_period_end AND period_end <= $1)
           OR (status = 'past_due' AND grace_ends_at <= $1)
        ORDER BY updated_at LIMIT 500`,
      [now],
    );
    for (const row of ending) {
      if (await this.expire(row, context)) expired++;
      else skipped++;
    }
    await this.idempotency.purgeExpired(now);
    return { renewalsRequested, expired, skipped };
  }

  private async renew(row: Due, context: CommandContext): Promise<boolean> {
    const stream = subscriptionStreamId(row.investor_id, row.listing_id);
    const { state } = await this.aggregates.load(subscriptionDecider, stream);
    const next = nextRenewal(state);
    if (!next || state.current?.ref.subscriptionId !== row.subscription_id) return false;
    if ((await this.catalog.get(row.listing_id)).status === 'retired') {
      // L1: a retired listing is no longer sold, so it is not renewed either; access runs to the end of the paid period.
      await this.aggregates.handle(
        subscriptionDecider,
        stream,
        { type: 'CancelAtPeriodEnd', subscriptionId: row.subscription_id, actorId: 'system', at: context.now.toISOString() },
        context,
        () => undefined,
      );
      return false;
    }
    const paymentId = this.ids.next();
    const method = state.current.paymentMethod ?? 'sandbox_ok';
    const referenceId = subscriptionPaymentReference(row.investor_id, row.listing_id, row.subscription_id);
    try {
      return await this.aggregates.handle(
        subscriptionDecider,
        stream,
        {
          type: 'RequestRenewal',
          subscriptionId: row.subscription_id,
          periodStart: next.periodStart,
          paymentId,
          at: context.now.toISOString(),
          renewAheadMs: this.renewAheadMs,
        },
        context,
        ({ events }) => renewalOf(events) !== undefined,
        {
          // The renewal's payment request is appended by the statement that records the renewal; the charge starts after.
          followOns: ({ events }) => {
            const renewal = renewalOf(events);
            return renewal
              ? [
                  this.payments.paymentRequest(
                    {
                      paymentId,
                      payerId: row.investor_id,
                      amountMinor: renewal.amountMinor,
                      currency: renewal.currency,
                      purpose: 'renewal',
                      referenceId,
                      method,
                    },
                    context,
                  ),
                ]
              : [];
          },
          afterCommit: ({ events }) => {
            const renewal = renewalOf(events);
            if (renewal) this.payments.charge({ paymentId, amountMinor: renewal.amountMinor, currency: renewal.currency, method });
          },
        },
      );
    } catch (error) {
      // Another run renewed this period first (or it is not due): nothing to do.
      if (error instanceof DomainError) return false;
      throw error;
    }
  }

  private async expire(row: Due, context: CommandContext): Promise<boolean> {
    try {
      await this.aggregates.handle(
        subscriptionDecider,
        subscriptionStreamId(row.investor_id, row.listing_id),
        { type: 'ExpireSubscription', subscriptionId: row.subscription_id, at: context.now.toISOString() },
        context,
        () => undefined,
      );
      return true;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }
}

/** The renewal a decision requested, if any: what its payment asks for. */
const renewalOf = (events: readonly SubscriptionEvent[]) => {
  const requested = events.find((event) => event.type === SubscriptionEventTypes.RenewalRequested);
  return requested?.type === SubscriptionEventTypes.RenewalRequested ? requested.data : undefined;
};

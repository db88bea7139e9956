import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@app/common';
import { LogDatabase } from '@app/event-store';
import { APP_CONFIG, AppConfig, ConfigError, JsonLogger } from '@app/platform';
import { PaymentGateway } from '../infrastructure/payment-gateway';
import { OutboxEntry } from '../projections/payments-outbox.projection';
import { PaymentsService } from './payments.service';

/** How many unsettled charges and refunds there are, and how long the oldest has waited (0 when none). */
export interface OutboxBacklog {
  readonly count: number;
  readonly oldestAgeMs: number;
}

/** Only one instance re-drives at a time (PostgreSQL advisory lock, released with the pass's transaction). */
const REDRIVER_LOCK = 'payments.outbox';
const BATCH_SIZE = 500;
const PARALLEL = 8;

const positiveInteger = (config: AppConfig, name: string, fallback: number, problems: string[], allowZero = false): number => {
  const raw = config.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1))
    problems.push(`${name}=${JSON.stringify(raw)}: expected a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return value;
};

/**
 * Drives every charge and refund in the payments outbox to an outcome. A charge is started in memory once its request
 * has committed; should the process die before the provider answered, or the answer never arrive, the entry stays in
 * the outbox (it is derived from the log). Every PAYMENTS_REDRIVE_INTERVAL_MS, and once at start-up, each entry older
 * than PAYMENTS_REDRIVE_AFTER_MS is reconciled with the provider: an outcome it knows is recorded like a notification
 * (and the paying context follows in the same statement), one it never heard of is started again (the provider
 * deduplicates by payment and refund id). Recording is idempotent, so a late notification changes nothing.
 */
@Injectable()
export class PaymentOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly afterMs: number;
  private readonly intervalMs: number;
  /** Entries this process has just driven without an outcome, and when to look at them next: the provider needs time to answer. */
  private readonly notBefore = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly store: LogDatabase,
    private readonly gateway: PaymentGateway,
    private readonly payments: PaymentsService,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const problems: string[] = [];
    this.afterMs = positiveInteger(config, 'PAYMENTS_REDRIVE_AFTER_MS', 5000, problems);
    this.intervalMs = positiveInteger(config, 'PAYMENTS_REDRIVE_INTERVAL_MS', 2000, problems, true);
    if (problems.length) throw new ConfigError(problems);
  }

  onApplicationBootstrap(): void {
    // Operator commands run with background work off; so do API-only replicas, while the instance with projections drives.
    if (this.intervalMs === 0 || this.config.env.PROJECTIONS_DISABLED === 'true') return;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** For readiness and metrics: the outbox's size and the age of its oldest entry. */
  async backlog(): Promise<OutboxBacklog> {
    const { rows } = await this.store.query<{ count: string; oldest: Date | null }>(
      'SELECT count(*) AS count, min(requested_at) AS oldest FROM payments_outbox',
    );
    const oldest = rows[0]?.oldest;
    return {
      count: Number(rows[0]?.count ?? 0),
      oldestAgeMs: oldest ? Math.max(0, this.clock.now().getTime() - new Date(oldest).getTime()) : 0,
    };
  }

  /**
   * One pass over the entries due: returns how many it drove (0 as well when another instance holds the lock).
   * The lock is held for the whole pass, so two instances never ask the provider and start a charge at once.
   */
  async redrive(): Promise<number> {
    const client = await this.store.connect();
    try {
      await client.query('BEGIN');
      const { rows: locked } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [
        REDRIVER_LOCK,
      ]);
      if (!locked[0]?.locked) return 0;
      const now = this.clock.now().getTime();
      const { rows } = await client.query<OutboxEntry & Record<string, unknown>>(
        `SELECT outbox_id, kind, payment_id, refund_id, amount_minor::float8 AS amount_minor, currency, method, requested_at
           FROM payments_outbox WHERE requested_at <= $1 ORDER BY requested_at LIMIT $2`,
        [new Date(now - this.afterMs), BATCH_SIZE],
      );
      if (rows.length < BATCH_SIZE) {
        const present = new Set(rows.map((row) => row.outbox_id));
        for (const id of this.notBefore.keys()) if (!present.has(id)) this.notBefore.delete(id);
      }
      const due = rows.filter((row) => (this.notBefore.get(row.outbox_id) ?? 0) <= now);
      for (let next = 0; next < due.length; next += PARALLEL) {
        await Promise.all(due.slice(next, next + PARALLEL).map((entry) => this.drive(entry)));
      }
      return due.length;
    } finally {
      await client.query('COMMIT').catch(() => undefined);
      client.release();
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.redrive()
        .catch((error) => this.logger.error(error, undefined, 'payments:outbox'))
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }

  private async drive(entry: OutboxEntry): Promise<void> {
    try {
      if (entry.kind === 'charge') await this.driveCharge(entry);
      else await this.driveRefund(entry);
    } catch (error) {
      this.later(entry);
      this.logger.event('warn', 'payments:outbox', {
        msg: 'could not drive the entry; it is tried again later',
        outboxId: entry.outbox_id,
        error: String(error),
      });
    }
  }

  private async driveCharge(entry: OutboxEntry): Promise<void> {
    const paymentId = entry.payment_id;
    const known = await this.gateway.paymentStatus(paymentId);
    switch (known.status) {
      case 'captured':
        return this.payments.reconcile(paymentId, {
          type: 'CapturePayment',
          gatewayReference: known.gatewayReference,
          amountMinor: known.amountMinor,
        });
      case 'failed':
        return this.payments.reconcile(paymentId, { type: 'FailPayment', reason: known.reason });
      case 'authorised':
        await this.payments.reconcile(paymentId, { type: 'AuthorisePayment', gatewayReference: known.gatewayReference });
        return this.later(entry);
      case 'pending':
        return this.later(entry);
      case 'unknown':
        // A payment recorded without a method cannot be charged again: it fails rather than staying open for ever.
        if (!entry.method)
          return this.payments.reconcile(paymentId, {
            type: 'FailPayment',
            reason: 'the charge never reached the provider and no payment method is on record',
          });
        this.gateway.charge({ paymentId, amountMinor: Number(entry.amount_minor), currency: entry.currency, method: entry.method });
        this.logger.event('info', 'payments:outbox', { msg: 'charge started again', paymentId });
        return this.later(entry);
    }
  }

  private async driveRefund(entry: OutboxEntry): Promise<void> {
    const paymentId = entry.payment_id;
    const refundId = entry.refund_id ?? '';
    const known = await this.gateway.refundStatus(paymentId, refundId);
    switch (known.status) {
      case 'succeeded':
        return this.payments.reconcile(paymentId, { type: 'CompleteRefund', refundId });
      case 'failed':
        return this.payments.reconcile(paymentId, { type: 'FailRefund', refundId, reason: known.reason });
      case 'pending':
        return this.later(entry);
      case 'unknown':
        this.gateway.refund({ paymentId, refundId, amountMinor: Number(entry.amount_minor), currency: entry.currency });
        this.logger.event('info', 'payments:outbox', { msg: 'refund started again', paymentId, refundId });
        return this.later(entry);
    }
  }

  private later(entry: OutboxEntry): void {
    this.notBefore.set(entry.outbox_id, this.clock.now().getTime() + this.afterMs);
  }
}

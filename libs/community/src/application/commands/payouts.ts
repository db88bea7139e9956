import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { CommandBus, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock, CommandContext, DomainError, IdGenerator, stepOf, systemContext } from '@app/common';
import { PayoutGateway, PayoutResult } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { HostEventTypes, hostDecider, hostStreamId } from '../../domain';
import { COMMUNITY_SETTINGS, CommunitySettings } from '../settings';

/** Records what the provider answered for a payout: paid or failed (the balance returns); unknown leaves it in flight. */
@Injectable()
export class PayoutSettlement {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly gateway: PayoutGateway,
  ) {}

  async send(hostId: string, payoutId: string, amountMinor: number, currency: string, context: CommandContext): Promise<PayoutResult> {
    let result: PayoutResult;
    try {
      result = await this.gateway.payout({ payoutId, payeeId: hostId, amountMinor, currency });
    } catch {
      result = { status: 'unknown' };
    }
    await this.settle(hostId, payoutId, result, context);
    return result;
  }

  async settle(hostId: string, payoutId: string, result: PayoutResult, context: CommandContext): Promise<void> {
    if (result.status === 'unknown') return;
    const step = stepOf(context);
    const command =
      result.status === 'paid'
        ? { type: 'CompletePayout' as const, payoutId, reference: result.reference, step }
        : { type: 'FailPayout' as const, payoutId, reason: result.reason, step };
    await this.aggregates.handle(hostDecider, hostStreamId(hostId), command, context, () => undefined);
  }
}

export class RequestPayoutCommand {
  constructor(
    readonly hostId: string,
    readonly context: CommandContext,
  ) {}
}

/** A payout statement of everything since the last one, paid through the payments port (sandbox provider). */
@CommandHandler(RequestPayoutCommand)
export class RequestPayoutHandler implements ICommandHandler<RequestPayoutCommand> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly settlement: PayoutSettlement,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(COMMUNITY_SETTINGS) private readonly settings: CommunitySettings,
  ) {}

  async execute({ hostId, context }: RequestPayoutCommand) {
    const payoutId = this.ids.next();
    // The recorded answer (an Idempotency-Key's replay) is the statement as requested; the settlement follows it here
    // and in the ledger, and a replay never pays twice (the decider refuses a second payout while one is in flight).
    const requested = await this.aggregates.handle(
      hostDecider,
      hostStreamId(hostId),
      { type: 'RequestPayout', payoutId, minimumMinor: this.settings.payoutMinimumMinor, step: stepOf(context) },
      context,
      ({ events }) => {
        const event = events.find((e) => e.type === HostEventTypes.PayoutRequested);
        if (event?.type !== HostEventTypes.PayoutRequested) return { payoutId, hostId, status: 'requested' as const };
        const { amount, periodFrom, periodTo, lines } = event.data;
        return {
          payoutId,
          hostId,
          amountMinor: amount.amountMinor,
          currency: amount.currency,
          periodFrom,
          periodTo,
          lines,
          status: 'requested' as const,
        };
      },
    );
    if (requested.amountMinor === undefined || requested.currency === undefined) return requested;
    const result = await this.settlement.send(hostId, payoutId, requested.amountMinor, requested.currency, context);
    return {
      ...requested,
      status: result.status === 'unknown' ? 'requested' : result.status,
      ...(result.status === 'paid' ? { reference: result.reference } : {}),
      ...(result.status === 'failed' ? { reason: result.reason } : {}),
    };
  }
}

export class RunPayoutsCommand {
  constructor(readonly context: CommandContext) {}
}

/** The periodic statement run: every host whose balance reaches the minimum and has no payout in flight. */
@CommandHandler(RunPayoutsCommand)
export class RunPayoutsHandler implements ICommandHandler<RunPayoutsCommand> {
  constructor(
    private readonly db: DataSource,
    private readonly commands: CommandBus,
    @Inject(COMMUNITY_SETTINGS) private readonly settings: CommunitySettings,
  ) {}

  async execute({ context }: RunPayoutsCommand) {
    const hosts: { host_id: string }[] = await this.db.query(
      `SELECT host_id FROM community_hosts WHERE balance_minor >= $1 AND in_flight_minor = 0 ORDER BY host_id LIMIT 1000`,
      [this.settings.payoutMinimumMinor],
    );
    const results: Record<string, unknown>[] = [];
    for (const { host_id } of hosts) {
      try {
        results.push(await this.commands.execute(new RequestPayoutCommand(host_id, context)));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ hostId: host_id, status: 'skipped', code: error.code });
      }
    }
    return { payouts: results };
  }
}

/**
 * Money in flight reaches a final state: a payout whose answer was lost (the process stopped, the provider timed out)
 * is asked about again, and sent again under the same id when the provider never heard of it (it pays once per id).
 */
@Injectable()
export class PayoutRedriver implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('PayoutRedriver');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly gateway: PayoutGateway,
    private readonly settlement: PayoutSettlement,
    private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(
      () => this.redrive().catch((error: unknown) => this.logger.warn(`payout re-drive failed: ${String(error)}`)),
      60_000,
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Payouts requested more than `olderThanMs` ago and not settled; answers how many were settled now. */
  async redrive(olderThanMs = 60_000): Promise<number> {
    const now = this.clock.now();
    const rows: { payout_id: string; host_id: string; amount_minor: string; currency: string }[] = await this.db.query(
      `SELECT payout_id, host_id, amount_minor, currency FROM community_payouts WHERE status = 'requested' AND requested_at < $1 ORDER BY requested_at LIMIT 100`,
      [new Date(now.getTime() - olderThanMs)],
    );
    let settled = 0;
    for (const row of rows) {
      const context = systemContext(now, this.ids.next());
      const known = await this.gateway.payoutStatus(row.payout_id);
      const result =
        known.status === 'unknown'
          ? await this.gateway.payout({
              payoutId: row.payout_id,
              payeeId: row.host_id,
              amountMinor: Number(row.amount_minor),
              currency: row.currency,
            })
          : known;
      await this.settlement.settle(row.host_id, row.payout_id, result, context);
      if (result.status !== 'unknown') settled++;
    }
    return settled;
  }
}

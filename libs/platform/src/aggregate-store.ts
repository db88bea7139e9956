import { Injectable } from '@nestjs/common';
import { CommandContext, Decider, DomainError, DomainEvent, IdGenerator, conflict, fold } from '@app/common';
import { EventMetadata, EventStoreTransaction, GlobalPosition, PgEventStore, RecordedEvent, StreamAppend, WrongExpectedRevisionError } from '@app/event-store';
import { ProjectionRunner } from './projections';

export interface Loaded<S> {
  readonly state: S;
  readonly revision: bigint | 'no_stream';
  readonly events: readonly RecordedEvent[];
}

export interface Executed<S, E> {
  readonly state: S;
  readonly events: readonly E[];
  readonly position?: GlobalPosition;
}

export interface ExecuteOptions<S, E> {
  /** More writes in the same transaction as the append (an idempotency record, a second stream, a table row). */
  readonly alongside?: (tx: EventStoreTransaction, result: { state: S; events: readonly E[] }) => Promise<void>;
  /**
   * Whether `alongside` has anything to do for these events (default: always). When it has not, the events are
   * appended in one autocommitted statement, without a transaction around them, and no events means no write at all.
   */
  readonly alongsideNeeded?: (events: readonly E[]) => boolean;
  /**
   * Events for other streams, decided from this decision (a payment request, a settlement's effect), appended by the
   * same statement as the stream's own events: atomic, in one round trip. Asked again on every attempt.
   */
  readonly alsoAppend?: (result: { state: S; events: readonly E[] }) => Promise<readonly StreamAppend[]>;
  /** Wait until read models include the new events before returning (read-your-writes). Default true. */
  readonly waitForProjections?: boolean;
  readonly maxAttempts?: number;
  /** The stream as the caller has just loaded it (to check something first); used for the first attempt only. */
  readonly loaded?: Loaded<S>;
}

export const metadataOf = (context: CommandContext): EventMetadata => ({
  actor: context.actor.id,
  actorRoles: [...context.actor.roles],
  correlationId: context.correlationId,
  ...(context.causationId ? { causationId: context.causationId } : {}),
  ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
  occurredAt: context.now.toISOString(),
  channel: context.channel,
});

/**
 * The one way a command changes state: load the stream, fold it with the decider, decide, and append with the
 * expected revision. A lost race is retried from the load a bounded number of times, then answered as a 409.
 */
@Injectable()
export class AggregateStore {
  constructor(
    readonly events: PgEventStore,
    private readonly ids: IdGenerator,
    private readonly projections: ProjectionRunner,
  ) {}

  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<Loaded<S>> {
    const events = await this.events.readStream(streamId);
    const state = fold(decider, events.map((event) => ({ type: event.type, data: event.data }) as unknown as E));
    return { state, revision: events.length ? events[events.length - 1].revision : 'no_stream', events };
  }

  async execute<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C,
    context: CommandContext,
    options: ExecuteOptions<S, E> = {},
  ): Promise<Executed<S, E>> {
    const maxAttempts = options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const loaded = attempt === 1 && options.loaded ? options.loaded : await this.load(decider, streamId);
      const decided = decider.decide(command, loaded.state);
      if (decided instanceof DomainError) throw decided;
      const state = decided.reduce(decider.evolve, loaded.state);
      const alongside = options.alongside && (options.alongsideNeeded?.(decided) ?? true) ? options.alongside : undefined;
      const others = options.alsoAppend ? await options.alsoAppend({ state, events: decided }) : [];
      const appends: StreamAppend[] = [
        ...(decided.length > 0 ? [{ streamId, events: this.toNew(decided, context), expected: loaded.revision }] : []),
        ...others.filter((append) => append.events.length > 0),
      ];
      if (appends.length === 0 && !alongside) return { state, events: [] };
      const write = (db: Pick<EventStoreTransaction, 'append' | 'appendMany'>) =>
        appends.length === 0
          ? undefined
          : appends.length === 1
            ? db.append(appends[0].streamId, appends[0].events, appends[0].expected)
            : db.appendMany(appends);
      try {
        const position = alongside
          ? await this.events.transaction(async (tx) => {
              const appended = await write(tx);
              await alongside(tx, { state, events: decided });
              return appended?.position;
            })
          : (await write(this.events))?.position;
        if (position && options.waitForProjections !== false) await this.projections.waitFor(position);
        return { state, events: decided, position };
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < maxAttempts) continue;
        if (error instanceof WrongExpectedRevisionError) {
          throw conflict('CONCURRENCY.CONFLICT', `${streamId} was changed by a concurrent request; retry`);
        }
        throw error;
      }
    }
  }

  toNew<E extends DomainEvent>(events: readonly E[], context: CommandContext) {
    const metadata = metadataOf(context);
    return events.map((event) => ({ id: this.ids.next(), type: event.type, data: event.data as Record<string, unknown>, metadata }));
  }

  /** After a transaction of one's own (several streams), wait for read models to include it. */
  async settle(position: GlobalPosition | undefined): Promise<void> {
    if (position) await this.projections.waitFor(position);
  }
}

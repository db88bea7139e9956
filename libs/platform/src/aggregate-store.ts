/** Runs commands against event-sourced streams: load (from memory or the log), decide, append at the revisions seen. */
import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandContext, Decider, DomainError, DomainEvent, IdGenerator, conflict, fold } from '@app/common';
import {
  EventMetadata,
  EventStore,
  EventStoreTransaction,
  GlobalPosition,
  StreamAppend,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { ProjectionRunner } from './projections';
import { StreamMemory } from './stream-memory';
import { RequestRecords } from './request-record';
import { SideWrite } from './side-write';

/** Optional provider: the StreamMemory the AggregateStore decides from (its capacity; 0 turns it off). */
export const STREAM_MEMORY = Symbol('STREAM_MEMORY');

export interface Loaded<S> {
  readonly state: S;
  readonly revision: bigint | 'no_stream';
}

/** A stream as a decision sees it, and whether that is the process's memory of it rather than a read of the log. */
interface Known<S> extends Loaded<S> {
  /**
   * True when it is this process's memory of the stream rather than a read of the log (see StreamMemory): a decision
   * on it is recorded only through an append that names `revision`, and one it refuses is made again from the log.
   */
  readonly remembered?: boolean;
}

export interface Executed<S, E> {
  readonly state: S;
  readonly events: readonly E[];
  readonly position?: GlobalPosition;
}

type AnyDecider<S> = Pick<Decider<never, DomainEvent, S>, 'initialState' | 'evolve'>;

/** Streams a decision reads besides its own. Each is checked by the append: if one moved on, the decision is made again. */
export interface DecisionReads {
  load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<Loaded<S>>;
}

/**
 * A command for another stream that follows from a decision (a coupon's redemption, a payment request, a serial from a
 * register): decided by the unit of work on that stream as the decision saw it (the same read, when the decision read
 * it) and appended by the same statement, checked against the revision it was decided on.
 */
export interface FollowOn {
  readonly decider: AnyDecider<unknown> & Pick<Decider<unknown, DomainEvent, unknown>, 'decide'>;
  readonly streamId: string;
  readonly command: unknown;
  /** The command usually starts the stream: decided on the initial state unless the process remembers the stream. */
  readonly startsStream?: boolean;
  /** The command is for a stream that may not exist (a reference from elsewhere): no stream, no command. */
  readonly existingOnly?: boolean;
  /** The command is for the stream only in such a state (an account still holding personal data): otherwise no command. */
  readonly onlyIf?: (state: unknown) => boolean;
}

export interface FollowOnOptions<S> {
  readonly startsStream?: boolean;
  readonly existingOnly?: boolean;
  readonly onlyIf?: (state: S) => boolean;
}

export const followOn = <C, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: FollowOnOptions<S> = {},
): FollowOn => ({ decider, streamId, command, ...options }) as unknown as FollowOn;

/** What a handler may ask of the unit of work besides the decision itself. */
export interface HandleOptions<S, E> {
  /** Commands for other streams decided from this decision, appended with it (see FollowOn). Asked again on every attempt. */
  readonly followOns?: (result: { state: S; events: readonly E[] }) => readonly FollowOn[];
  /** Writes beside the log made in the transaction of the append (see SideWrite). Asked again on every attempt. */
  readonly sideWrites?: (result: { state: S; events: readonly E[] }) => readonly SideWrite[];
  /**
   * Work that starts once the decision is stored (asking the provider for a charge or a refund): run after the commit,
   * never for a decision that stored nothing or failed.
   */
  readonly afterCommit?: (result: { state: S; events: readonly E[] }) => void;
  /** Wait until read models include the new events before returning (read-your-writes). Default true. */
  readonly waitForProjections?: boolean;
  /** Attempts before a lost race is answered as a 409 (default DEFAULT_MAX_ATTEMPTS). */
  readonly maxAttempts?: number;
}

export interface ExecuteOptions<S, E> extends HandleOptions<S, E> {
  /**
   * The answer to the request, from the decision. When the request is one whose response is recorded (an
   * Idempotency-Key), the record is written by the statement that appends the events (or in the transaction of the
   * side writes): only if they are stored, and they only if it is.
   */
  readonly answer?: (result: { state: S; events: readonly E[] }) => unknown;
}

/**
 * Enough for a burst of concurrent commands on one stream (50 tips by one investor at once) to all be decided: each
 * lost race is decided again after a jittered, growing pause, so the losers do not collide again in lockstep.
 */
export const DEFAULT_MAX_ATTEMPTS = 30;
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 250;

/** "Full jitter" exponential backoff: a random pause up to base·2^(attempt-1), capped. */
export const retryPauseMs = (attempt: number, random: () => number = Math.random): number =>
  Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 16)));

const pause = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

export const metadataOf = (context: CommandContext): EventMetadata => ({
  actor: context.actor.id,
  actorRoles: [...context.actor.roles],
  correlationId: context.correlationId,
  ...(context.causationId ? { causationId: context.causationId } : {}),
  ...(context.idempotencyKey ? { idempotencyKey: context.idempotencyKey } : {}),
  occurredAt: context.now.toISOString(),
  channel: context.channel,
});

/** Where an append's stream came from, for remembering its state once the append is stored. */
interface Pending {
  readonly decider: AnyDecider<unknown>;
  readonly state: unknown;
}

const nextRevision = (revision: bigint | 'no_stream', appended: number): bigint =>
  (revision === 'no_stream' ? -1n : revision) + BigInt(appended);

/**
 * The one way a command changes state: load the stream, fold it with the decider, decide, and append with the
 * expected revision. A lost race is decided again from the log after a jittered pause, a bounded number of times,
 * and only then answered as a 409.
 *
 * Decisions start from the process's memory of a stream when it has one (the state after its own last append there,
 * or its last read of it), which saves a round trip per stream. That is safe because every append made from a
 * decision names the revisions it saw, of its own stream and of every stream it read: a stream moved on by another
 * process fails the append, and the decision is made again from the log. A decision refused, or with nothing to do,
 * on remembered state is made again from the log before it is answered. Any append through the event store, by any
 * code in this process, makes the memory forget the streams it touched.
 */
@Injectable()
export class AggregateStore {
  private readonly memory: StreamMemory;
  private readonly pending = new WeakMap<StreamAppend, Pending>();

  constructor(
    readonly events: EventStore,
    private readonly ids: IdGenerator,
    private readonly projections: ProjectionRunner,
    private readonly records: RequestRecords,
    @Optional() @Inject(STREAM_MEMORY) memory?: StreamMemory,
  ) {
    this.memory = memory ?? new StreamMemory();
    events.onAppended((streamIds) => this.memory.forget(streamIds));
  }

  private readonly usuallyNewPrefixes: string[] = [];

  /**
   * A load option chosen at wiring, not by handlers: commands on streams whose id starts with `streamPrefix` usually
   * start them (a first subscription to a product). With nothing remembered of such a stream, the decision is made on
   * the initial state without reading it; the append's "no stream yet" check catches the other case, which then costs
   * the refused append and is decided again from the log.
   */
  assumeUsuallyNew(streamPrefix: string): void {
    this.usuallyNewPrefixes.push(streamPrefix);
  }

  private isUsuallyNew(streamId: string): boolean {
    return this.usuallyNewPrefixes.some((prefix) => streamId.startsWith(prefix));
  }

  /** The stream as the log has it now. */
  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<Loaded<S>> {
    const events = await this.events.readStream(streamId);
    const state = fold(
      decider,
      events.map((event) => ({ type: event.type, data: event.data }) as unknown as E),
    );
    return { state, revision: events.length ? events[events.length - 1].revision : 'no_stream' };
  }

  /**
   * The stream for a decision whose append will name `revision`: from memory when the process has it, else from the
   * log (and then remembered). Never for an answer that no append checks.
   */
  private async recall<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, usuallyNew = false): Promise<Known<S>> {
    const known = this.memory.recall<S>(decider, streamId);
    if (known) return { ...known, remembered: true };
    // Assumed, like a memory: an append on it names 'no_stream', and a refusal on it is confirmed from the log.
    if (usuallyNew) return { state: decider.initialState, revision: 'no_stream', remembered: true };
    const loaded = await this.load(decider, streamId);
    if (loaded.revision !== 'no_stream') this.memory.remember(decider, streamId, loaded.state, loaded.revision);
    return loaded;
  }

  /**
   * A follow-on decided on its stream as this attempt reads it (the very read the decision made, if it read the
   * stream). Its refusal refuses the decision; on remembered state, the attempt is made again from the log.
   */
  private async decideFollowOn(next: FollowOn, reads: AttemptReads, context: CommandContext): Promise<StreamAppend | undefined> {
    const decider = next.decider as Decider<unknown, DomainEvent, unknown>;
    const loaded = await reads.load(decider, next.streamId, next.startsStream);
    if (next.existingOnly && loaded.revision === 'no_stream') return undefined;
    if (next.onlyIf && !next.onlyIf(loaded.state)) return undefined;
    const decided = decider.decide(next.command, loaded.state);
    if (decided instanceof DomainError) throw decided;
    return this.appendFor(decider, next.streamId, loaded, decided, context);
  }

  /** An append of `decided` onto `loaded`, whose resulting state is remembered once `execute` has stored it. */
  private appendFor<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    loaded: Loaded<S>,
    decided: readonly E[],
    context: CommandContext,
  ): StreamAppend {
    const append: StreamAppend = { streamId, events: this.toNew(decided, context), expected: loaded.revision };
    this.pending.set(append, { decider: decider as AnyDecider<unknown>, state: decided.reduce(decider.evolve, loaded.state) });
    return append;
  }

  /**
   * The command seam: decide `command` on the stream and answer from the decision. Everything else (memory of the
   * stream, retries, appends to other streams, writes beside the log, the request's recorded response,
   * read-your-writes) is the unit of work's, per `options`.
   */
  async handle<C, E extends DomainEvent, S, A>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C | ((reads: DecisionReads) => Promise<C>),
    context: CommandContext,
    answer: (result: { state: S; events: readonly E[] }) => A,
    options: HandleOptions<S, E> = {},
  ): Promise<A> {
    return answer(await this.execute(decider, streamId, command, context, { ...options, answer }));
  }

  /**
   * The unit of work behind `handle`.
   * @internal Application code calls `handle`; this is public for the store's own specs only (test/write-seam.spec.ts
   * keeps application code off it).
   */
  async execute<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C | ((reads: DecisionReads) => Promise<C>),
    context: CommandContext,
    options: ExecuteOptions<S, E> = {},
  ): Promise<Executed<S, E>> {
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      const reads = new AttemptReads((d, id, usuallyNew) => (fresh ? this.load(d, id) : this.recall(d, id, usuallyNew)));
      let decided: readonly E[];
      let loaded: Loaded<S>;
      let others: StreamAppend[];
      try {
        const decidedCommand = typeof command === 'function' ? await (command as (reads: DecisionReads) => Promise<C>)(reads) : command;
        loaded = await reads.load(decider, streamId, this.isUsuallyNew(streamId));
        const decision = decider.decide(decidedCommand, loaded.state);
        if (decision instanceof DomainError) throw decision;
        decided = decision;
        const following = options.followOns?.({ state: decided.reduce(decider.evolve, loaded.state), events: decided }) ?? [];
        others = (await Promise.all(following.map((next) => this.decideFollowOn(next, reads, context)))).filter(
          (append): append is StreamAppend => append !== undefined && append.events.length > 0,
        );
      } catch (error) {
        // A refusal on remembered state is confirmed from the log before it is answered.
        if (!(error instanceof DomainError) || !reads.remembered) throw error;
        fresh = true;
        attempt--;
        continue;
      }
      const state = decided.reduce(decider.evolve, loaded.state);
      const result = { state, events: decided };
      const record = options.answer ? this.records.current() : undefined;
      const sideWrites = options.sideWrites?.(result) ?? [];
      const own = decided.length > 0 ? [this.appendFor(decider, streamId, loaded, decided, context)] : [];
      const appends: StreamAppend[] = [...own, ...others];
      if (appends.length === 0 && sideWrites.length === 0 && !record) {
        if (reads.remembered) {
          fresh = true;
          attempt--;
          continue;
        }
        return { state, events: [] };
      }
      const written = new Set(appends.map((append) => append.streamId));
      const conditions: StreamAppend[] = reads.conditions(streamId).filter((read) => !written.has(read.streamId));
      // The request's record goes by the append statement, or with the side writes in their transaction.
      const guard = record && sideWrites.length === 0 ? record.guard(options.answer?.(result)) : undefined;
      const write = async (db: Pick<EventStoreTransaction, 'append' | 'appendMany'>) => {
        if (appends.length === 0 && !guard) return undefined;
        if (appends.length === 1 && conditions.length === 0 && !guard)
          return (await db.append(appends[0].streamId, appends[0].events, appends[0].expected)).position;
        const stored = await db.appendMany(appends.length === 0 ? [] : [...appends, ...conditions], guard);
        return appends.length === 0 ? undefined : stored.position;
      };
      try {
        const position =
          sideWrites.length > 0
            ? await this.events.transaction(async (tx) => {
                const appended = await write(tx);
                for (const side of sideWrites) await side.apply(tx);
                if (record) await record.write(tx, options.answer?.(result));
                return appended;
              })
            : await write(this.events);
        for (const append of appends) {
          const pending = this.pending.get(append);
          if (pending)
            this.memory.remember(pending.decider, append.streamId, pending.state, nextRevision(append.expected, append.events.length));
        }
        if (position && options.waitForProjections !== false) await this.projections.waitFor(position);
        options.afterCommit?.(result);
        return { state, events: decided, position };
      } catch (error) {
        this.memory.forget([...written, ...conditions.map((condition) => condition.streamId)]);
        if (error instanceof WrongExpectedRevisionError && attempt < maxAttempts) {
          fresh = true;
          await pause(retryPauseMs(attempt));
          continue;
        }
        if (error instanceof WrongExpectedRevisionError) {
          throw conflict('CONCURRENCY.CONFLICT', `${streamId} was changed by a concurrent request; retry`);
        }
        throw error;
      }
    }
  }

  /**
   * Events as the log stores them, with the command's metadata.
   */
  private toNew<E extends DomainEvent>(events: readonly E[], context: CommandContext) {
    const metadata = metadataOf(context);
    return events.map((event) => ({
      id: this.ids.next(),
      type: event.type,
      ...(event.schemaVersion !== undefined ? { schemaVersion: event.schemaVersion } : {}),
      data: event.data as Record<string, unknown>,
      metadata,
    }));
  }
}

/** One attempt's reads: each stream read once, from memory unless the attempt must read the log. */
class AttemptReads implements DecisionReads {
  private readonly loaded = new Map<string, Known<unknown>>();
  remembered = false;

  constructor(
    private readonly read: <C, E extends DomainEvent, S>(
      decider: Decider<C, E, S>,
      streamId: string,
      usuallyNew: boolean,
    ) => Promise<Known<S>>,
  ) {}

  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string, usuallyNew = false): Promise<Loaded<S>> {
    const known = this.loaded.get(streamId);
    if (known) return known as Known<S>;
    const loaded = await this.read(decider, streamId, usuallyNew);
    this.remembered ||= loaded.remembered === true;
    this.loaded.set(streamId, loaded);
    return loaded;
  }

  /** Every stream read besides `own`, as a condition on the append: still at the revision the decision saw. */
  conditions(own: string): StreamAppend[] {
    return [...this.loaded.entries()]
      .filter(([streamId]) => streamId !== own)
      .map(([streamId, loaded]) => ({ streamId, events: [], expected: loaded.revision }));
  }
}

/** The event store port over EventStoreDB (or KurrentDB). */
import { randomUUID } from 'node:crypto';
import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  EventStoreDBClient,
  RecordedEvent as EsdbRecordedEvent,
  ReadStreamOptions,
  StreamNotFoundError,
  WrongExpectedVersionError,
  streamNameFilter,
} from '@eventstore/db-client';
import {
  AppendGuard,
  AppendResult,
  EventStore,
  EventStoreTransaction,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  NotAtomicError,
  ReadAllOptions,
  RecordedEvent,
  START,
  StreamAppend,
  SubscribeOptions,
  Subscription,
  comparePositions,
} from '../event-store.port';
import { Upcaster, Upcasters, upcast, upcasterKey } from '../upcasting';
import {
  APPLICATION_STREAM_REGEX,
  ResolvedExpectation,
  StoredId,
  assertAppendable,
  checkpointStreamName,
  firstRevision,
  fromCheckpointEvent,
  fromEsdbEvent,
  isApplicationEvent,
  matchRetry,
  takeBatch,
  toAppendExpectedRevision,
  toCheckpointData,
  toConflict,
  toEventDataBatch,
  toGlobalPosition,
  toReadPosition,
} from './esdb-mapping';

/** How far back an append with 'any' looks for its own events when deciding whether it is a retry. */
const ANY_RETRY_WINDOW = 256;
/** Lost races of an append with 'any' (resolved to an exact revision) are retried this many times. */
const ANY_ATTEMPTS = 20;

/**
 * The event store over EventStoreDB (or KurrentDB) through `@eventstore/db-client`, behaving as the port and the
 * shared contract suite say:
 *
 * - An append is one `appendToStream` call, so a batch is written atomically at consecutive revisions. Every
 *   expectation is sent as an exact one (`no_stream` or a revision): the event hash covers the revision, so 'any'
 *   is first resolved to the stream's current revision and a lost race is retried, as the PostgreSQL adapter does.
 * - ESDB deduplicates a retried append by event id only relative to its expected revision and has no index by id,
 *   so the store reads the events where the append would land (for 'any', the stream's tail) and answers a retry
 *   as a duplicate without writing.
 * - The hash and schema version travel in the event's metadata envelope (see esdb-mapping).
 * - The global log is $all without system (`$`) streams, system event types and checkpoint streams.
 * - Subscriptions follow $all live and store their checkpoint in a capped user stream of the same database.
 */
export class EsdbEventStore extends EventStore {
  readonly client: EventStoreDBClient;
  private readonly active = new Set<Subscription>();

  private readonly upcasters: Map<string, Upcaster>;

  constructor(
    connectionString: string,
    upcasters: Upcasters = new Map(),
    private readonly retryMs = 500,
  ) {
    super();
    this.upcasters = new Map(upcasters);
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  private readonly appendedListeners = new Set<(streamIds: readonly string[]) => void>();

  /** One stream's events, unconditioned and unguarded, is a plain append; anything more is refused (no multi-stream atomicity). */
  override async appendMany(appends: readonly StreamAppend[], guard?: AppendGuard): Promise<AppendResult> {
    if (guard || appends.length !== 1) throw new NotAtomicError('an append to several streams or with a row write');
    return this.append(appends[0].streamId, appends[0].events, appends[0].expected);
  }

  override transaction<T>(_work: (tx: EventStoreTransaction) => Promise<T>): Promise<T> {
    return Promise.reject(new NotAtomicError('a unit of work'));
  }

  private readonly wakers = new Set<() => void>();

  override onAppend(callback: () => void): () => void {
    const once = () => {
      this.wakers.delete(once);
      callback();
    };
    this.wakers.add(once);
    return () => this.wakers.delete(once);
  }

  override wake(): void {
    for (const waker of [...this.wakers]) waker();
  }

  override registerUpcaster(type: string, fromVersion: number, upcaster: Upcaster): void {
    this.upcasters.set(upcasterKey(type, fromVersion), upcaster);
  }

  override onAppended(listener: (streamIds: readonly string[]) => void): () => void {
    this.appendedListeners.add(listener);
    return () => this.appendedListeners.delete(listener);
  }

  private toRecorded = (event: EsdbRecordedEvent): RecordedEvent => upcast(this.upcasters, fromEsdbEvent(event));

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(streamId, events);
    const ids = events.map((event) => event.id);
    for (let attempt = 1; ; attempt++) {
      const { resolved, landing } = await this.inspect(streamId, events.length, expected);
      const retry = matchRetry(streamId, ids, landing);
      if (retry) return { nextExpectedRevision: retry.lastRevision, duplicate: true };
      try {
        const result = await this.client.appendToStream(streamId, toEventDataBatch(streamId, events, resolved), {
          expectedRevision: toAppendExpectedRevision(resolved),
        });
        for (const listener of this.appendedListeners) listener([streamId]);
        if (result.position !== undefined) this.wake();
        // Servers that answer an idempotent write (a retry racing its original) do so without a log position.
        return { nextExpectedRevision: result.nextExpectedRevision, duplicate: result.position === undefined };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expected !== 'any' || attempt >= ANY_ATTEMPTS) throw toConflict(streamId, expected, error.actualVersion);
      }
    }
  }

  /**
   * The exact expectation to send and the stored events where this append would land: for an exact or no_stream
   * expectation the revisions it would take; for 'any' the stream's tail, whose last revision becomes the expectation.
   */
  private async inspect(
    streamId: string,
    count: number,
    expected: ExpectedRevision,
  ): Promise<{ resolved: ResolvedExpectation; landing: StoredId[] }> {
    if (expected === 'any') {
      const tail = await this.read(streamId, { direction: 'backwards', fromRevision: 'end', maxCount: Math.max(count, ANY_RETRY_WINDOW) });
      return { resolved: tail.length ? tail[0].revision : 'no_stream', landing: tail };
    }
    const landing = await this.read(streamId, { direction: 'forwards', fromRevision: firstRevision(expected), maxCount: count });
    return { resolved: expected, landing };
  }

  /** Raw events of one stream; an unknown stream reads as empty. */
  private async read(streamId: string, options: ReadStreamOptions): Promise<EsdbRecordedEvent[]> {
    const out: EsdbRecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) out.push(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readStream(streamId: string, fromRevision = 0n): Promise<RecordedEvent[]> {
    const events = await this.read(streamId, { direction: 'forwards', fromRevision });
    return events.filter((event) => isApplicationEvent(event.streamId, event.type)).map(this.toRecorded);
  }

  /**
   * A page of $all strictly after `after`. ESDB reads $all from a position inclusively and this client version
   * cannot filter a read server-side, so pages are read one event longer and system records are skipped here,
   * reading on until the page is full or the log ends.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.limit ?? 1000;
    const chunk = Math.max(limit + 1, 2);
    const out: RecordedEvent[] = [];
    let from = options.after ?? START;
    for (;;) {
      const page: AllStreamResolvedEvent[] = [];
      for await (const resolved of this.client.readAll({ fromPosition: toReadPosition(from), maxCount: chunk })) page.push(resolved);
      let last = from;
      for (const { event } of page) {
        if (!event) continue;
        const position = toGlobalPosition(event.position);
        if (comparePositions(position, from) <= 0) continue;
        last = position;
        if (!isApplicationEvent(event.streamId, event.type)) continue;
        out.push(this.toRecorded(event));
        if (out.length >= limit) return out;
      }
      if (page.length < chunk || comparePositions(last, from) === 0) return out;
      from = last;
    }
  }

  async readCheckpoint(name: string): Promise<GlobalPosition> {
    const [last] = await this.read(checkpointStreamName(name), { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    return fromCheckpointEvent(last);
  }

  private async writeCheckpoint(name: string, position: GlobalPosition): Promise<void> {
    await this.client.appendToStream(checkpointStreamName(name), toCheckpointData(randomUUID(), position));
  }

  /** Only the latest checkpoint matters: the server may scavenge older ones. Written once per stream. */
  private async capCheckpointStream(name: string): Promise<void> {
    const stream = checkpointStreamName(name);
    const { metadata } = await this.client.getStreamMetadata(stream);
    if (metadata?.maxCount !== 1) await this.client.setStreamMetadata(stream, { ...metadata, maxCount: 1 });
  }

  /**
   * Follows $all live from the durable checkpoint. Events are handed over in batches of what the server has already
   * sent (up to `batchSize`); the checkpoint is written after the handler resolves. A failure (handler, checkpoint
   * write or connection) is reported to `onError` and the subscription starts again from the last handled event.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    await this.capCheckpointStream(options.checkpoint);
    let position = await this.readCheckpoint(options.checkpoint);
    const batchSize = options.batchSize ?? 500;
    let running = true;
    let feed: AllStreamSubscription | undefined;
    let wake: () => void = () => undefined;
    const pause = (ms?: number) =>
      new Promise<void>((done) => {
        const timer = ms === undefined ? undefined : setTimeout(done, ms);
        wake = () => {
          clearTimeout(timer);
          done();
        };
      });

    const follow = async (): Promise<void> => {
      let failure: unknown;
      let ended = false;
      const current = this.client.subscribeToAll({
        fromPosition: toReadPosition(position),
        filter: streamNameFilter({ regex: APPLICATION_STREAM_REGEX }),
      });
      feed = current;
      current.on('error', (error) => {
        failure = error;
        wake();
      });
      current.on('end', () => {
        ended = true;
        wake();
      });
      current.on('readable', () => wake());
      while (running) {
        if (failure !== undefined) throw failure;
        const batch = takeBatch(current, position, batchSize);
        if (batch.length > 0) {
          const events = batch.map(this.toRecorded);
          await options.handler(events);
          position = events[events.length - 1].position;
          await this.writeCheckpoint(options.checkpoint, position);
          continue;
        }
        if (ended) throw new Error('the $all subscription ended');
        await pause();
      }
    };

    const loop = (async () => {
      while (running) {
        try {
          await follow();
        } catch (error) {
          if (running) options.onError?.(error);
        }
        await feed?.unsubscribe().catch(() => undefined);
        if (running) await pause(this.retryMs);
      }
    })();

    const subscription: Subscription = {
      stop: async () => {
        running = false;
        wake();
        await feed?.unsubscribe().catch(() => undefined);
        await loop;
        this.active.delete(subscription);
      },
    };
    this.active.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.active].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }
}

/**
 * Reactors: processes that answer events of the log by running commands (a re-rating after a rating change), apart
 * from the read models. Durable and checkpointed like projections, but a reactor's effects are commands through the
 * command bus and the seam, not rows.
 */
import { Inject, Injectable, OnApplicationBootstrap, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus, ICommand } from '@nestjs/cqrs';
import { Clock, CommandContext, DomainError } from '@app/common';
import { DatabaseSession, EventStore, GlobalPosition, LogDatabase, RecordedEvent, START } from '@app/event-store';
import { CatchUpLoop } from './catch-up-loop';
import { AppConfig } from './config';
import { IdempotencyService } from './idempotency';
import { JsonLogger } from './logger';
import { ProjectionRunner } from './projections';
import { APP_CONFIG } from './tokens';

/**
 * One command an event calls for. `key` names it among the event's reactions (an engagement id, a payment id): with
 * the event's id it is the command's idempotency key, so a command redelivered after a crash replays its first answer
 * instead of running again. `command` builds the command with the context the runner gives it.
 */
export interface Reaction {
  readonly key: string;
  readonly command: (context: CommandContext) => ICommand;
}

export const reaction = (key: string, command: (context: CommandContext) => ICommand): Reaction => ({ key, command });

/**
 * A process that reacts to events by running commands. `react` says which commands an event calls for (none for the
 * events it ignores); keep the decision a pure function of the event and what it reads, and test it given events →
 * expected commands. The runner runs the commands through the command bus, each under its idempotency key, and
 * advances the reactor's checkpoint only after they have committed.
 */
export interface Reactor {
  /** Its checkpoint name; renaming it replays the whole log to the reactor (harmless, but slow). */
  readonly name: string;
  /**
   * True when `react` reads read models: the runner then waits until every projection has applied the event before
   * asking, so what it reads includes everything that preceded the event in the log.
   */
  readonly readsProjections?: boolean;
  /** The event types it reacts to, when it can say: the others are passed without asking it (or waiting for read models). */
  readonly types?: readonly string[];
  react(event: RecordedEvent): Promise<readonly Reaction[]> | readonly Reaction[];
}

export const REACTOR = Symbol('reactor');
/** Marks a provider as a reactor; the runner discovers and runs every one. */
export const EventReactor = (): ClassDecorator => SetMetadata(REACTOR, true);

const BATCH_SIZE = 200;
const FAILURE_PAUSE_MS = 1000;
const READ_MODELS_WAIT_MS = 30_000;
/** The actor of a reactor's commands: the system, as for any process nobody asked for in person. */
const REACTOR_ACTOR = { id: 'system', roles: ['system'] } as const;

export const reactorCheckpoint = (reactor: Pick<Reactor, 'name'>): string => `reactor:${reactor.name}`;

/** The context a reactor's command runs in: caused by the event, in its correlation, under its idempotency key. */
export const reactionContext = (
  reactor: Pick<Reactor, 'name'>,
  event: Pick<RecordedEvent, 'id' | 'metadata'>,
  key: string,
  now: Date,
): CommandContext => ({
  actor: REACTOR_ACTOR,
  correlationId: event.metadata.correlationId,
  causationId: event.id,
  idempotencyKey: `${reactor.name}:${event.id}:${key}`,
  channel: 'system',
  now,
});

/**
 * Runs every reactor from the log, each on its own loop and on one instance at a time (a session advisory lock per
 * reactor, taken for a pass, like the payments outbox's). A pass reads the log after the reactor's checkpoint, asks the
 * reactor for each event's reactions and runs them one by one through the command bus, each as an idempotent request
 * whose record is written with the command's events (see IdempotencyService); once an event's commands have
 * committed, the checkpoint moves past it. A crash between a commit and the checkpoint redelivers the event: its
 * commands find their records and are answered from them, not run again. A command refused (a DomainError) is the
 * reaction's answer: logged, and the reactor moves on. Any other failure stops the pass before the event, to be tried
 * again after a pause.
 */
@Injectable()
export class ReactorRunner implements OnApplicationBootstrap {
  private reactors: Reactor[] = [];
  private loops: CatchUpLoop[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly commands: CommandBus,
    private readonly idempotency: IdempotencyService,
    private readonly projections: ProjectionRunner,
    private readonly store: EventStore,
    private readonly database: LogDatabase,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  list(): readonly Reactor[] {
    return this.reactors;
  }

  discover(): void {
    this.reactors = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance && Reflect.getMetadata(REACTOR, wrapper.metatype))
      .map((wrapper) => wrapper.instance as Reactor);
  }

  onApplicationBootstrap(): void {
    this.discover();
    // Instances without background work (operator commands, API-only replicas) leave reactions to the one with it.
    if (this.config.env.PROJECTIONS_DISABLED === 'true') return;
    this.start();
  }

  start(): void {
    if (this.loops.length) return;
    this.loops = this.reactors.map(
      (reactor) =>
        new CatchUpLoop({
          onAppend: (listener) => this.store.onAppend(listener),
          // A pass reads until the log committed so far is done: another pass at once only when something was appended.
          turn: async () => (await this.pass(reactor), { failed: false }),
          pauseMs: ({ failed }) => (failed ? FAILURE_PAUSE_MS : this.config.projectionPollMs),
          onError: (error) => this.logger.error(error, undefined, `reactor:${reactor.name}`),
        }),
    );
    for (const loop of this.loops) loop.start();
  }

  /** Stopped on shutdown before the projections (EventStoreShutdown): a command under way still waits for its read models. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
    this.loops = [];
  }

  /** The reactor's durable checkpoint: the position of the last event whose reactions have all committed. */
  checkpoint(reactor: Reactor): Promise<GlobalPosition> {
    return this.store.readCheckpoint(reactorCheckpoint(reactor));
  }

  /**
   * One pass of `reactor` (or of every reactor) until the log committed so far is done or a batch fails; returns how many
   * events it took past. If another instance (or this one's loop) runs the reactor, it returns 0 at once, or with
   * `wait`, waits for that pass to end and then makes its own.
   */
  async pass(reactor?: Reactor, options: { wait?: boolean } = {}): Promise<number> {
    if (!reactor) return (await Promise.all(this.reactors.map((each) => this.pass(each, options)))).reduce((a, b) => a + b, 0);
    const session = await this.database.connect();
    const lock = reactorCheckpoint(reactor);
    let unlocked = true;
    try {
      const take = options.wait ? 'pg_advisory_lock(hashtext($1)) IS NOT NULL' : 'pg_try_advisory_lock(hashtext($1))';
      const { rows } = await session.query<{ locked: boolean }>(`SELECT ${take} AS locked`, [lock]);
      if (!rows[0]?.locked) return 0;
      try {
        let total = 0;
        for (;;) {
          const moved = await this.batch(reactor, session);
          total += moved;
          if (moved < BATCH_SIZE) return total;
        }
      } finally {
        unlocked = await session.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).then(
          () => true,
          () => false,
        );
      }
    } finally {
      // A session that could not unlock is closed rather than pooled: closing it is what releases the lock.
      session.release(unlocked ? undefined : true);
    }
  }

  private async batch(reactor: Reactor, session: DatabaseSession): Promise<number> {
    const after = await this.checkpoint(reactor);
    const events = await this.store.readAll({ after, limit: BATCH_SIZE });
    let done: GlobalPosition = after;
    let saved: GlobalPosition = after;
    for (const event of events) {
      if (reactor.types && !reactor.types.includes(event.type)) {
        done = event.position;
        continue;
      }
      // A reactor that reads read models never decides on ones that have not reached the event: the pass stops here.
      if (reactor.readsProjections && !(await this.projections.waitFor(event.position, READ_MODELS_WAIT_MS))) {
        throw new Error(`reactor ${reactor.name}: the read models have not applied event ${event.id} yet`);
      }
      const reactions = await reactor.react(event);
      for (const next of reactions) await this.run(reactor, event, next);
      done = event.position;
      if (reactions.length > 0) {
        await writeCheckpoint(session, reactorCheckpoint(reactor), done);
        saved = done;
      }
    }
    if (saved !== done) await writeCheckpoint(session, reactorCheckpoint(reactor), done);
    return events.length;
  }

  private async run(reactor: Reactor, event: RecordedEvent, next: Reaction): Promise<void> {
    const context = reactionContext(reactor, event, next.key, this.clock.now());
    const request = { method: 'REACT', path: `${reactor.name}/${event.id}/${next.key}`, body: {} };
    try {
      await this.idempotency.run(context, request, 200, async () => (await this.commands.execute(next.command(context))) ?? null);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      this.logger.event('warn', 'reactor', {
        msg: 'reaction refused',
        reactor: reactor.name,
        eventId: event.id,
        key: next.key,
        code: error.code,
      });
    }
  }
}

const writeCheckpoint = async (session: DatabaseSession, name: string, position: GlobalPosition): Promise<void> => {
  if (position === START) return;
  await session.query(
    `INSERT INTO subscription_checkpoints (name, tx_id, position, updated_at) VALUES ($1, $2::text::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()`,
    [name, position.major.toString(), position.minor.toString()],
  );
};

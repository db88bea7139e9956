/**
 * The SQL database the log is kept in, as a port of its own: what only the PostgreSQL adapter can give. Read models
 * with their checkpoints in one transaction, idempotency records written by the statement that appends, advisory
 * locks that keep a loop on one instance, the audit's tiles, the payments outbox. Code that needs one of these asks
 * for `LogDatabase` by name, never for the concrete `PgEventStore`; with EventStoreDB as the log there is no
 * `LogDatabase`, and those features need a PostgreSQL database of their own (see README "What runs where").
 */
import { GlobalPosition, Queryable, RecordedEvent } from './event-store.port';

/** One connection held until released: session-level advisory locks, an explicit multi-statement transaction. */
export interface DatabaseSession extends Queryable {
  /**
   * Gives the connection back. With `true` or an error it is closed instead of pooled (what releases a session lock
   * that could not be unlocked, or drops a broken connection).
   */
  release(destroy?: boolean | Error): void;
  /** Hears of the connection lost while it is held (a database restart), instead of the process crashing on it. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  off(event: 'error', listener: (error: Error) => void): unknown;
}

export abstract class LogDatabase implements Queryable {
  /** A statement on the tables kept beside the log, outside any unit of work. */
  abstract query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  /**
   * A statement whose good plan depends on its parameters (a search whose filters are more or less selective), planned
   * for the parameters of each call. `query` runs on connections that plan each statement once, generically, which
   * suits fixed statements and can turn a search for a rare value into a walk of the whole log.
   */
  abstract searchQuery<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  /** A connection of its own (see DatabaseSession); the caller must release it. */
  abstract connect(): Promise<DatabaseSession>;
  /** The head of the committed log: the position of the last event a reader can see now. */
  abstract head(): Promise<GlobalPosition>;
  /**
   * The committed log after the lowest of the named checkpoints (a name without one counts as the start), read with
   * `db` (a transaction of this database): the events and the checkpoints come from one snapshot, so a batch applied
   * in that transaction and its checkpoints commit together.
   */
  abstract readAfterCheckpoints(db: Queryable, names: readonly string[], limit: number): Promise<RecordedEvent[]>;
}

/** The event store port over PostgreSQL: appends to one or more streams, reads of streams and the log, transactions. */
import { createHash } from 'node:crypto';
import { Client, Pool } from 'pg';
import {
  AppendGuard,
  AppendResult,
  EventStore,
  EventStoreTransaction,
  Queryable,
  StreamAppend,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  RecordedEvent,
  START,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { DatabaseSession, LogDatabase } from '../log-database.port';
import { canonicalJson, eventHashHexFromCanonical } from '@app/common';
import { Upcaster, Upcasters, upcast, upcasterKey } from '../upcasting';

export interface PgAppendResult extends AppendResult {
  /** Position of the last event of this append (of the stored ones for a duplicate). */
  readonly position: GlobalPosition;
}

/** A PostgreSQL unit of work: its appends report their positions. */
export interface PgEventStoreTransaction extends EventStoreTransaction {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<PgAppendResult>;
  appendMany(appends: readonly StreamAppend[], guard?: AppendGuard): Promise<PgAppendResult>;
}

interface EventRow {
  position: string;
  tx_id: string;
  event_id: string;
  stream_id: string;
  revision: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: RecordedEvent['metadata'];
  hash: Buffer;
  recorded_at: Date;
}

const COLUMNS = 'position, tx_id::text AS tx_id, event_id, stream_id, revision, type, schema_version, data, metadata, hash, recorded_at';

const UNIQUE_VIOLATION = '23505';
const pgCode = (error: unknown): string | undefined => (error as { code?: string }).code;
const pgConstraint = (error: unknown): string | undefined => (error as { constraint?: string }).constraint;

/** The log, and the database it is kept in (the `LogDatabase` capability, which only this adapter has). */
export class PgEventStore extends EventStore implements LogDatabase {
  private readonly wakers = new Set<() => void>();
  private readonly appendedListeners = new Set<(streamIds: readonly string[]) => void>();

  /**
   * Connections for the store's own fixed, hot statements (appends, stream reads, and other callers' statements of the
   * same kind): `pool` unless given. Give it connections that plan each prepared statement once, generically
   * (plan_cache_mode=force_generic_plan): the statements' plans do not depend on their parameters, and PostgreSQL
   * otherwise plans the multi-stream append anew on every call, which costs about as much as running it.
   */
  readonly statements: Pool;
  private closed = false;

  private readonly upcasters: Map<string, Upcaster>;

  constructor(
    readonly pool: Pool,
    upcasters: Upcasters = new Map(),
    private readonly pollMs = 200,
    onIdleClientError: (error: Error) => void = (error) =>
      process.stderr.write(
        `${JSON.stringify({ level: 'warn', context: 'event-store', msg: 'idle connection lost', error: error.message })}\n`,
      ),
    statements?: Pool,
  ) {
    super();
    this.upcasters = new Map(upcasters);
    this.statements = statements ?? pool;
    // A server restart or shutdown kills idle connections; the pool drops them and reconnects on demand. Once the pools
    // are closed, a connection still finishing its goodbye when the server stops is no news.
    const onError = (error: Error) => this.closed || onIdleClientError(error);
    // A connection lost while checked out (the primary died mid-transaction) emits 'error' on its client, which has no
    // listener of the pool's then: without one of its own the process would crash. The query under way fails instead,
    // and the client is discarded when it is released with that error.
    const listenOnEachClient = (target: Pool) => {
      target.on('error', onError);
      target.on('connect', (client) => client.on('error', onError));
    };
    listenOnEachClient(pool);
    if (statements && statements !== pool) listenOnEachClient(statements);
  }

  /**
   * Teaches the store how to read version `fromVersion` of `type` as the next version. A context registers its own
   * upcasters when it is wired, before anything reads the log.
   */
  override registerUpcaster(type: string, fromVersion: number, upcaster: Upcaster): void {
    this.upcasters.set(upcasterKey(type, fromVersion), upcaster);
  }

  toRecorded = (row: EventRow): RecordedEvent =>
    upcast(this.upcasters, {
      id: row.event_id,
      streamId: row.stream_id,
      revision: BigInt(row.revision),
      position: { major: BigInt(row.tx_id), minor: BigInt(row.position) },
      type: row.type,
      schemaVersion: row.schema_version,
      data: row.data,
      metadata: row.metadata,
      hash: row.hash.toString('hex'),
      recordedAt: row.recorded_at,
    });

  /** A statement on the tables beside the log (LogDatabase), on the connections for fixed, hot statements. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    return this.statements.query<R>(text, values);
  }

  /** A search (LogDatabase), on the log's own connections, where each call is planned with its parameters. */
  searchQuery<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }> {
    return this.pool.query<R>(text, values);
  }

  override onAppended(listener: (streamIds: readonly string[]) => void): () => void {
    this.appendedListeners.add(listener);
    return () => this.appendedListeners.delete(listener);
  }

  private appended(streamIds: readonly string[]): void {
    for (const listener of this.appendedListeners) listener(streamIds);
  }

  /** A single append is one autocommitted statement (no explicit transaction: one round trip). */
  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<PgAppendResult> {
    const result = await appendWith(this.statements, streamId, events, expected);
    this.appended([streamId]);
    if (!result.duplicate) this.wake();
    return result;
  }

  /** Runs `work` in one transaction; appends made through `tx` wake local subscribers after the commit. */
  override async transaction<T>(work: (tx: PgEventStoreTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let appended = false;
    const streams = new Set<string>();
    try {
      await client.query('BEGIN');
      const tx: PgEventStoreTransaction = {
        query: (text, values) => client.query(text, values) as never,
        append: async (streamId, events, expected) => {
          const result = await appendWith(client, streamId, events, expected);
          appended ||= !result.duplicate;
          streams.add(streamId);
          return result;
        },
        appendMany: async (appends, guard) => {
          const result = await appendManyWith(client, appends, guard);
          appended ||= !result.duplicate;
          for (const append of appends) if (append.events.length > 0) streams.add(append.streamId);
          return result;
        },
      };
      const result = await work(tx);
      await client.query('COMMIT');
      if (streams.size > 0) this.appended([...streams]);
      if (appended) this.wake();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Several streams in one autocommitted statement: all are appended, or none (one round trip). */
  override async appendMany(appends: readonly StreamAppend[], guard?: AppendGuard): Promise<PgAppendResult> {
    const result = await appendManyWith(this.statements, appends, guard);
    this.appended(appends.filter((append) => append.events.length > 0).map((append) => append.streamId));
    if (!result.duplicate) this.wake();
    return result;
  }

  async readStream(streamId: string, fromRevision = 0n): Promise<RecordedEvent[]> {
    const { rows } = await this.statements.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY events.revision`,
      [streamId, fromRevision.toString()],
    );
    return rows.map(this.toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    // A fixed statement whose plan (the primary key's range) does not depend on its values: planned once per connection.
    return readCommitted(this.statements, options.after ?? START, options.limit ?? 1000, this.toRecorded);
  }

  /** The head of the committed log: the position of the last event a reader can see now. */
  async head(): Promise<GlobalPosition> {
    const { rows } = await this.pool.query<{ tx_id: string; position: string }>(
      `SELECT tx_id::text AS tx_id, position FROM events
        WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY events.tx_id DESC, events.position DESC LIMIT 1`,
    );
    return rows[0] ? { major: BigInt(rows[0].tx_id), minor: BigInt(rows[0].position) } : START;
  }

  /** A pooled connection of its own (LogDatabase). */
  connect(): Promise<DatabaseSession> {
    return this.pool.connect();
  }

  readAfterCheckpoints(db: Queryable, names: readonly string[], limit: number): Promise<RecordedEvent[]> {
    return readCommittedAfterCheckpoints(db, names, limit, this.toRecorded);
  }

  async readCheckpoint(name: string): Promise<GlobalPosition> {
    return readCheckpoint(this.pool, name);
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    let position = await this.readCheckpoint(options.checkpoint);
    let running = true;
    let wake: () => void = () => undefined;
    const waker = () => wake();
    this.wakers.add(waker);
    const loop = (async () => {
      while (running) {
        try {
          const events = await this.readAll({ after: position, limit: options.batchSize ?? 500 });
          if (events.length > 0) {
            await options.handler(events);
            position = events[events.length - 1].position;
            await writeCheckpoint(this.pool, options.checkpoint, position);
            continue;
          }
        } catch (error) {
          options.onError?.(error);
        }
        if (!running) break;
        await new Promise<void>((done) => {
          const timer = setTimeout(done, this.pollMs);
          wake = () => {
            clearTimeout(timer);
            done();
          };
        });
      }
    })();
    return {
      stop: async () => {
        running = false;
        wake();
        this.wakers.delete(waker);
        await loop;
      },
    };
  }

  /** Calls `callback` once at the next local append; returns a function that cancels it. */
  override onAppend(callback: () => void): () => void {
    const once = () => {
      this.wakers.delete(once);
      callback();
    };
    this.wakers.add(once);
    return () => this.wakers.delete(once);
  }

  /** Local appends wake subscribers at once; other instances' appends are seen at the next poll. */
  override wake(): void {
    for (const waker of [...this.wakers]) waker();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool.end();
    if (this.statements !== this.pool) await this.statements.end();
  }
}

const existingAppend = async (db: Queryable, streamId: string, ids: readonly string[]): Promise<PgAppendResult | null> => {
  const { rows } = await db.query<{ stream_id: string; revision: string; tx_id: string; position: string }>(
    `SELECT stream_id, revision, tx_id::text AS tx_id, position FROM events WHERE event_id = ANY($1::uuid[]) ORDER BY events.revision`,
    [ids],
  );
  if (rows.length === 0) return null;
  if (rows.length !== ids.length || rows.some((row) => row.stream_id !== streamId)) {
    throw new Error(`append to ${streamId}: some event ids are already stored elsewhere; an append is all new or all retried`);
  }
  const last = rows[rows.length - 1];
  return {
    nextExpectedRevision: BigInt(last.revision),
    duplicate: true,
    position: { major: BigInt(last.tx_id), minor: BigInt(last.position) },
  };
};

const currentRevision = async (db: Queryable, streamId: string): Promise<bigint | 'no_stream'> => {
  const { rows } = await db.query<{ revision: string | null }>('SELECT max(revision) AS revision FROM events WHERE stream_id = $1', [
    streamId,
  ]);
  return rows[0]?.revision == null ? 'no_stream' : BigInt(rows[0].revision);
};

const HASH_BYTES = 32;

/** pg's own pools and clients keep the statement prepared per connection (parsed and planned once); other Queryables get the text. */
const prepared = <R extends Record<string, unknown>>(
  db: Queryable,
  name: string,
  text: string,
  values: unknown[],
): Promise<{ rows: R[] }> => (db instanceof Pool || db instanceof Client ? db.query<R>({ name, text, values }) : db.query<R>(text, values));

/**
 * The revision check and the multi-row INSERT. Each column arrives as one JSON array (JSON.stringify in Node, parsed
 * once in PostgreSQL: no array literal to escape and unescape per element), the hashes as one binary parameter cut
 * into 32-byte slices, and the revisions are counted from the first; only the last position comes back.
 */
const APPEND = `
  WITH cur AS (SELECT max(revision) AS r FROM events WHERE stream_id = $2),
  ins AS (
    INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, hash)
    SELECT t.id::uuid, $2, $3::bigint + t.n - 1, t.type, t.schema_version::int, t.data, t.metadata,
           substr($8::bytea, (t.n::int - 1) * ${HASH_BYTES} + 1, ${HASH_BYTES})
      FROM ROWS FROM (json_array_elements_text($1::json), json_array_elements_text($4::json), json_array_elements_text($5::json),
                      jsonb_array_elements($6::jsonb), jsonb_array_elements($7::jsonb))
             WITH ORDINALITY AS t(id, type, schema_version, data, metadata, n), cur
     WHERE cur.r IS NOT DISTINCT FROM $9::bigint
    RETURNING tx_id, position)
  SELECT tx_id::text AS tx_id, max(position)::text AS position FROM ins GROUP BY tx_id`;

/**
 * One append in one statement: the revision check and the multi-row INSERT. A retried append (same event ids) fails
 * the revision check or the unique event id, and is then recognised as a duplicate by looking the ids up. Two
 * writers with the same expected revision race on the (stream_id, revision) unique key; exactly one wins, the other
 * gets a typed conflict. Inside a larger transaction a conflict aborts that transaction; the caller retries it whole.
 */
export const appendWith = async (
  db: Queryable,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<PgAppendResult> => {
  if (events.length === 0) throw new Error('append: no events');
  if (expected === 'any') {
    for (let attempt = 1; ; attempt++) {
      try {
        return await appendWith(db, streamId, events, await currentRevision(db, streamId));
      } catch (error) {
        // 'any' means any: a lost race is retried here, except inside a transaction, which a failed statement aborts.
        if (!(error instanceof WrongExpectedRevisionError) || !(db instanceof Pool) || attempt >= 20) throw error;
      }
    }
  }
  // Not awaited here, so the caller's event objects can be collected while the statement runs.
  return insertEncoded(db, streamId, expected, encodeAppend(streamId, events, expected));
};

/** An append's statement parameters and what its answer needs; the events themselves are not kept. */
interface EncodedAppend {
  readonly ids: readonly string[];
  readonly nextExpectedRevision: bigint;
  readonly params: unknown[];
}

const encodeAppend = (streamId: string, events: readonly NewEvent[], expected: bigint | 'no_stream'): EncodedAppend => {
  const ids = events.map((event) => event.id);
  const first = expected === 'no_stream' ? 0n : expected + 1n;
  const hashes = Buffer.allocUnsafe(events.length * HASH_BYTES);
  const dataJson: string[] = [];
  const metadataJson: string[] = [];
  events.forEach((event, index) => {
    // Serialised once, canonically: the same text is hashed and stored.
    const fields = {
      id: event.id,
      streamId,
      revision: first + BigInt(index),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      dataJson: canonicalJson(event.data),
      metadataJson: canonicalJson(event.metadata),
    };
    dataJson.push(fields.dataJson);
    metadataJson.push(fields.metadataJson);
    hashes.write(eventHashHexFromCanonical(fields), index * HASH_BYTES, 'hex');
  });
  return {
    ids,
    nextExpectedRevision: first + BigInt(events.length - 1),
    params: [
      JSON.stringify(ids),
      streamId,
      first.toString(),
      JSON.stringify(events.map((event) => event.type)),
      JSON.stringify(events.map((event) => event.schemaVersion ?? 1)),
      `[${dataJson.join(',')}]`,
      `[${metadataJson.join(',')}]`,
      hashes,
      expected === 'no_stream' ? null : expected.toString(),
    ],
  };
};

const insertEncoded = async (
  db: Queryable,
  streamId: string,
  expected: bigint | 'no_stream',
  append: EncodedAppend,
): Promise<PgAppendResult> => {
  let rows: { tx_id: string; position: string }[];
  try {
    ({ rows } = await prepared<{ tx_id: string; position: string }>(db, 'event-store.append', APPEND, append.params));
  } catch (error) {
    if (pgCode(error) !== UNIQUE_VIOLATION) throw error;
    // Lost a race: a concurrent writer took the revision, or a concurrent retry of this very append stored the ids.
    // Outside a transaction we can look again and answer exactly; inside one the caller's retry will.
    const inTransaction = !(db instanceof Pool);
    if (!inTransaction && pgConstraint(error) === 'events_event_id_key') {
      const duplicate = await existingAppend(db, streamId, append.ids);
      if (duplicate) return duplicate;
    }
    throw new WrongExpectedRevisionError(streamId, expected, inTransaction ? 'unknown' : await currentRevision(db, streamId));
  }
  if (rows.length === 0) {
    const duplicate = await existingAppend(db, streamId, append.ids);
    if (duplicate) return duplicate;
    throw new WrongExpectedRevisionError(streamId, expected, await currentRevision(db, streamId));
  }
  return {
    nextExpectedRevision: append.nextExpectedRevision,
    duplicate: false,
    position: { major: BigInt(rows[0].tx_id), minor: BigInt(rows[0].position) },
  };
};

/** The global log strictly after `after`, in commit order, up to the oldest transaction still running. */
export const readCommitted = async <T>(db: Queryable, after: GlobalPosition, limit: number, map: (row: EventRow) => T): Promise<T[]> => {
  const { rows } = await db.query<EventRow & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM events
      WHERE (tx_id, position) > ($1::text::xid8, $2::bigint)
        AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.tx_id, events.position
      LIMIT $3`,
    [after.major.toString(), after.minor.toString(), limit],
  );
  return rows.map((row) => map(row as EventRow));
};

/**
 * The global log after the lowest of the named checkpoints (a name without one counts as the start), as `readCommitted`
 * reads it: the checkpoints are looked up by the same statement, so it can be sent together with other statements.
 */
export const readCommittedAfterCheckpoints = async <T>(
  db: Queryable,
  names: readonly string[],
  limit: number,
  map: (row: EventRow) => T,
): Promise<T[]> => {
  const { rows } = await db.query<EventRow & Record<string, unknown>>(
    `WITH low AS (
       SELECT COALESCE(c.tx_id, '0'::xid8) AS tx_id, COALESCE(c.position, 0) AS position
         FROM unnest($1::text[]) AS n (name) LEFT JOIN subscription_checkpoints c ON c.name = n.name
        ORDER BY 1, 2 LIMIT 1)
     SELECT ${COLUMNS} FROM events
      WHERE (tx_id, position) > (SELECT tx_id, position FROM low)
        AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.tx_id, events.position
      LIMIT $2`,
    [names, limit],
  );
  return rows.map((row) => map(row as EventRow));
};

export const readCheckpoint = async (db: Queryable, name: string): Promise<GlobalPosition> => {
  const { rows } = await db.query<{ tx_id: string; position: string }>(
    'SELECT tx_id::text AS tx_id, position FROM subscription_checkpoints WHERE name = $1',
    [name],
  );
  return rows[0] ? { major: BigInt(rows[0].tx_id), minor: BigInt(rows[0].position) } : START;
};

export const writeCheckpoint = async (db: Queryable, name: string, position: GlobalPosition): Promise<void> => {
  await db.query(
    `INSERT INTO subscription_checkpoints (name, tx_id, position, updated_at) VALUES ($1, $2::text::xid8, $3, now())
     ON CONFLICT (name) DO UPDATE SET tx_id = EXCLUDED.tx_id, position = EXCLUDED.position, updated_at = now()`,
    [name, position.major.toString(), position.minor.toString()],
  );
};

/**
 * Appends to several streams in one statement: every stream's revision check and every insert, so the appends are
 * atomic without a transaction around them. Any stream not at its expected revision (checked, or raced on the unique
 * (stream, revision) key) fails the whole statement as a conflict; so does a stream given as a condition only. A
 * guard's write runs in the same statement, only when the checks pass, and the events go in only if it wrote. The
 * answer is always one row: whether the checks passed, how many rows the guard wrote, and the last event's position.
 */
const PARAMS_BEFORE_GUARD = 10;
const appendManyText = (guard?: AppendGuard) => `
  WITH ok AS (
    SELECT bool_and((SELECT max(e.revision) FROM events e WHERE e.stream_id = x.stream_id) IS NOT DISTINCT FROM x.expected::bigint) AS ok
      FROM ROWS FROM (json_array_elements_text($9::json), json_array_elements_text($10::json)) AS x(stream_id, expected)),
  ${guard ? `guard AS (${guard.sql('(SELECT ok.ok FROM ok)', PARAMS_BEFORE_GUARD)}),` : ''}
  ins AS (
    INSERT INTO events (event_id, stream_id, revision, type, schema_version, data, metadata, hash)
    SELECT t.id::uuid, t.stream_id, t.revision::bigint, t.type, t.schema_version::int, t.data, t.metadata,
           substr($8::bytea, (t.n::int - 1) * ${HASH_BYTES} + 1, ${HASH_BYTES})
      FROM ROWS FROM (json_array_elements_text($1::json), json_array_elements_text($2::json), json_array_elements_text($3::json),
                      json_array_elements_text($4::json), json_array_elements_text($5::json),
                      jsonb_array_elements($6::jsonb), jsonb_array_elements($7::jsonb))
             WITH ORDINALITY AS t(id, stream_id, revision, type, schema_version, data, metadata, n), ok
     WHERE ok.ok${guard ? ' AND EXISTS (SELECT 1 FROM guard)' : ''}
    RETURNING tx_id, position)
  SELECT (SELECT ok.ok FROM ok) AS ok, ${guard ? '(SELECT count(*) FROM guard)::int' : '0'} AS guarded,
         (SELECT tx_id::text FROM ins LIMIT 1) AS tx_id, (SELECT max(position)::text FROM ins) AS position`;
const APPEND_MANY = appendManyText();
/** The text of a guarded append, built once per guard name; its prepared name is short (PostgreSQL keeps 63 bytes). */
const guardedStatements = new Map<string, { name: string; text: string }>();
const guardedAppendMany = (guard: AppendGuard): { name: string; text: string } => {
  let statement = guardedStatements.get(guard.name);
  if (!statement) {
    const text = appendManyText(guard);
    statement = { name: `event-store.append-many.${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    guardedStatements.set(guard.name, statement);
  }
  return statement;
};

/** A guard with no events to go with it (a decision that changed nothing still answers): its write on its own. */
const guardAlone = async (db: Queryable, guard: AppendGuard): Promise<PgAppendResult> => {
  const { rows } = await db.query(guard.sql('true', 0), [...guard.values]);
  if (rows.length === 0) throw guard.missed();
  guard.written?.();
  return { nextExpectedRevision: -1n, duplicate: true, position: START };
};

interface AppendManyRow {
  ok: boolean | null;
  guarded: number;
  tx_id: string | null;
  position: string | null;
}

export const appendManyWith = async (db: Queryable, appends: readonly StreamAppend[], guard?: AppendGuard): Promise<PgAppendResult> => {
  const streams = appends.filter((append) => append.events.length > 0);
  if (streams.length === 0 && guard && appends.length === 0) return guardAlone(db, guard);
  if (streams.length === 0) throw new Error('appendMany: no events');
  if (new Set(appends.map((append) => append.streamId)).size !== appends.length) throw new Error('appendMany: one entry per stream');
  const encoded = streams.map((append) => ({ append, encoded: encodeAppend(append.streamId, append.events, append.expected) }));
  const column = (index: number) =>
    `[${encoded
      .map(({ encoded: e }) => (e.params[index] as string).slice(1, -1))
      .filter((part) => part.length > 0)
      .join(',')}]`;
  const ids = encoded.flatMap(({ encoded: e }) => e.ids);
  const streamIds = encoded.flatMap(({ append }) => append.events.map(() => append.streamId));
  const revisions = encoded.flatMap(({ append, encoded: e }) =>
    append.events.map((_, index) => (e.nextExpectedRevision - BigInt(append.events.length - 1) + BigInt(index)).toString()),
  );
  const params = [
    JSON.stringify(ids),
    JSON.stringify(streamIds),
    JSON.stringify(revisions),
    column(3),
    column(4),
    column(5),
    column(6),
    Buffer.concat(encoded.map(({ encoded: e }) => e.params[7] as Buffer)),
    JSON.stringify(appends.map((append) => append.streamId)),
    JSON.stringify(appends.map((append) => (append.expected === 'no_stream' ? null : append.expected.toString()))),
    ...(guard?.values ?? []),
  ];
  const last = streams[streams.length - 1];
  const conflict = () => new WrongExpectedRevisionError(appends.map((append) => append.streamId).join(', '), last.expected, 'unknown');
  let row: AppendManyRow;
  try {
    const statement = guard ? guardedAppendMany(guard) : { name: 'event-store.append-many', text: APPEND_MANY };
    ({
      rows: [row],
    } = await prepared<AppendManyRow & Record<string, unknown>>(db, statement.name, statement.text, params));
  } catch (error) {
    if (pgCode(error) !== UNIQUE_VIOLATION) throw error;
    throw conflict();
  }
  if (row.tx_id === null || row.position === null) {
    if (row.ok && guard && row.guarded === 0) throw guard.missed();
    const { rows: stored } = await db.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE event_id = ANY($1::uuid[])', [ids]);
    if (Number(stored[0].n) === ids.length) {
      const head = await existingAppend(db, last.streamId, encoded[encoded.length - 1].encoded.ids);
      if (head) return head;
    }
    throw conflict();
  }
  guard?.written?.();
  return {
    nextExpectedRevision: encoded[encoded.length - 1].encoded.nextExpectedRevision,
    duplicate: false,
    position: { major: BigInt(row.tx_id), minor: BigInt(row.position) },
  };
};

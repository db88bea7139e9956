/** Applying a batch of events to keyed read-model rows in two statements. */
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';

/** A read-model row as PostgreSQL returns it from `SELECT *`: column names as keys. */
export type Row = Record<string, unknown>;

export interface RowTable<E> {
  /** The table, and its single-column primary key. */
  readonly name: string;
  readonly key: string;
  /** The row an event concerns, or undefined when the event is not this table's. */
  keyOf(event: E): string | undefined;
  /**
   * Pure: the row after the event. Returns the row it was given when nothing changes, a new object when something
   * does, and undefined for an event about a row that does not exist (nothing to update).
   */
  reduce(row: Readonly<Row> | undefined, event: E): Row | undefined;
}

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Applies a batch of events to a table of keyed rows with two statements whatever the batch's size: the rows the
 * batch touches are read at once, folded in memory in log order by the table's pure reducer, and the changed ones
 * written back in one upsert. A projection that ran one statement per event made each batch, and so every request
 * waiting for its write to show, as slow as the number of events in it.
 */
export const foldRows = async <E extends { readonly type: string }>(
  manager: EntityManager,
  table: RowTable<E>,
  events: readonly RecordedEvent[],
): Promise<void> => {
  const concerned = events
    .map((event) => ({ event: event as unknown as E, key: table.keyOf(event as unknown as E) }))
    .filter((entry): entry is { event: E; key: string } => entry.key !== undefined);
  if (concerned.length === 0) return;
  const keys = [...new Set(concerned.map((entry) => entry.key))];
  const stored: Row[] = await manager.query(`SELECT * FROM ${quote(table.name)} WHERE ${quote(table.key)} = ANY($1)`, [keys]);
  const rows = new Map<string, Row | undefined>(stored.map((row) => [String(row[table.key]), row]));
  const changed = new Set<string>();
  for (const { event, key } of concerned) {
    const before = rows.get(key);
    const after = table.reduce(before, event);
    if (after !== before && after !== undefined) {
      rows.set(key, after);
      changed.add(key);
    }
  }
  if (changed.size === 0) return;
  const written = [...changed].map((key) => rows.get(key) as Row);
  const columns = [...new Set(written.flatMap((row) => Object.keys(row)))].map(quote);
  await manager.query(
    `INSERT INTO ${quote(table.name)} SELECT * FROM json_populate_recordset(NULL::${quote(table.name)}, $1::json)
     ON CONFLICT (${quote(table.key)}) DO UPDATE SET (${columns.join(', ')}) = ROW(${columns.map((column) => `EXCLUDED.${column}`).join(', ')})`,
    [JSON.stringify(written)],
  );
};

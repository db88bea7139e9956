/** foldRows against a real PostgreSQL: rows read, folded in log order and written back with their column types intact. */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../test/support/db';
import { PreparingClient } from './database';
import { Row, RowTable, foldRows } from './row-fold';

type Ev = { type: 'opened' | 'noted' | 'closed'; data: { id: string; at: string; note?: string; amount?: number } };

const table: RowTable<Ev> = {
  name: 'fold_rows_test',
  key: 'id',
  keyOf: (event) => event.data.id,
  reduce: (row, event): Row | undefined => {
    if (event.type === 'opened')
      return {
        id: event.data.id,
        status: 'open',
        amount: event.data.amount ?? 0,
        notes: [],
        closed: false,
        opened_at: event.data.at,
        closed_at: null,
      };
    if (!row) return undefined;
    if (event.type === 'noted') return { ...row, notes: [...(row.notes as string[]), event.data.note] };
    return row.closed ? row : { ...row, status: 'closed', closed: true, closed_at: event.data.at };
  },
};

const recorded = (events: Ev[]) => events.map((event) => ({ ...event, id: randomUUID() }) as unknown as RecordedEvent);

describe('foldRows (PostgreSQL)', () => {
  let db: TestDatabase;
  let source: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    source = new DataSource({ type: 'postgres', url: db.url, extra: { max: 2, Client: PreparingClient } });
    await source.initialize();
    await source.query(`CREATE TABLE fold_rows_test (id uuid PRIMARY KEY, status text NOT NULL, amount bigint NOT NULL, notes jsonb NOT NULL,
      closed boolean NOT NULL, opened_at timestamptz NOT NULL, closed_at timestamptz)`);
  });
  afterAll(async () => {
    await source.destroy();
    await db.drop();
  });

  it('inserts, updates across batches and keeps types: bigint, jsonb, boolean, timestamptz and null', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await source.transaction((m) =>
      foldRows(
        m,
        table,
        recorded([
          { type: 'opened', data: { id: a, at: '2026-11-23T10:00:00.000Z', amount: 9_007_199_254_740_991 } },
          { type: 'noted', data: { id: a, at: '2026-11-23T10:01:00.000Z', note: '十档 "quoted" \\ note' } },
          { type: 'opened', data: { id: b, at: '2026-11-23T10:02:00.000Z' } },
        ]),
      ),
    );
    await source.transaction((m) =>
      foldRows(
        m,
        table,
        recorded([
          { type: 'closed', data: { id: a, at: '2026-11-23T11:00:00.000Z' } },
          { type: 'noted', data: { id: randomUUID(), at: '2026-11-23T11:00:00.000Z', note: 'no such row' } },
        ]),
      ),
    );
    const rows = await source.query(
      `SELECT id, status, amount::text AS amount, notes, closed, opened_at, closed_at FROM fold_rows_test ORDER BY opened_at`,
    );
    expect(rows).toEqual([
      {
        id: a,
        status: 'closed',
        amount: '9007199254740991',
        notes: ['十档 "quoted" \\ note'],
        closed: true,
        opened_at: new Date('2026-11-23T10:00:00.000Z'),
        closed_at: new Date('2026-11-23T11:00:00.000Z'),
      },
      { id: b, status: 'open', amount: '0', notes: [], closed: false, opened_at: new Date('2026-11-23T10:02:00.000Z'), closed_at: null },
    ]);
  });

  it('writes nothing when no event changes a row', async () => {
    const before = await source.query('SELECT * FROM fold_rows_test ORDER BY id');
    const closed = before.find((row: { closed: boolean }) => row.closed);
    const unchanged = jest.fn();
    await source.transaction(async (m) => {
      const spy = jest.spyOn(m, 'query');
      await foldRows(m, table, recorded([{ type: 'closed', data: { id: closed.id, at: '2026-11-23T12:00:00.000Z' } }]));
      unchanged(spy.mock.calls.length);
    });
    expect(unchanged).toHaveBeenCalledWith(1);
    expect(await source.query('SELECT * FROM fold_rows_test ORDER BY id')).toEqual(before);
  });
});

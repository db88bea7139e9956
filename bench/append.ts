import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { uuidv7 } from '@app/common';
import { NewEvent, PgEventStore } from '@app/event-store';
import { concurrently, interleaved, ratio, startBenchDatabase } from './support';

/**
 * Event appends against plain INSERTs on the same PostgreSQL in the same run. The plain table has the same columns an
 * event row needs (payload, metadata, a 32-byte hash) but no revision check, no unique event id and no hashing.
 */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

const payload = (n: number) => ({ listingId: randomUUID(), planId: randomUUID(), amountMinor: 9900 + n, currency: 'CNY', period: 'month' });
const metadata = () => ({ actor: randomUUID(), correlationId: randomUUID(), occurredAt: new Date().toISOString(), channel: 'app' });
const event = (n: number): NewEvent => ({ id: uuidv7(), type: 'bench.SubscriptionStarted', data: payload(n), metadata: metadata() });

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('append');
  const pool = new Pool({ connectionString: db.url, max: 40 });
  const store = new PgEventStore(pool);
  await pool.query(
    `CREATE TABLE plain_rows (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, hash bytea NOT NULL)`,
  );
  const hash = Buffer.alloc(32, 7);
  const plainInsert = (rows: number) => async (writer: number) => {
    const streams = Array.from({ length: rows }, () => `plain-${writer}`);
    const data = Array.from({ length: rows }, (_, n) => JSON.stringify(payload(n)));
    const meta = Array.from({ length: rows }, () => JSON.stringify(metadata()));
    await pool.query(
      'INSERT INTO plain_rows (stream_id, data, metadata, hash) SELECT * FROM unnest($1::text[], $2::jsonb[], $3::jsonb[], $4::bytea[])',
      [streams, data, meta, Array.from({ length: rows }, () => hash)],
    );
    return rows;
  };
  const appends = (size: number) => {
    const revisions = new Map<number, bigint | 'no_stream'>();
    const streams = new Map<number, string>();
    return async (writer: number) => {
      if (!streams.has(writer)) streams.set(writer, `bench-${writer}-${randomUUID()}`);
      const result = await store.append(
        streams.get(writer)!,
        Array.from({ length: size }, (_, n) => event(n)),
        revisions.get(writer) ?? 'no_stream',
      );
      revisions.set(writer, result.nextExpectedRevision);
      return size;
    };
  };
  const ms = SECONDS * 1000;
  try {
    // Warm up both paths once.
    await concurrently(8, 1000, plainInsert(1));
    await concurrently(8, 1000, appends(1));
    const single1 = await interleaved(1, ms, plainInsert(1), appends(1));
    const single32 = await interleaved(32, ms, plainInsert(1), appends(1));
    const batch1 = await interleaved(1, ms, plainInsert(100), appends(100));
    const batch32 = await interleaved(32, ms, plainInsert(100), appends(100));
    return {
      unit: 'events (rows) per second',
      secondsPerPair: SECONDS,
      plainInsert1: single1.baseline,
      append1: single1.subject,
      plainInsert32: single32.baseline,
      append32: single32.subject,
      plainInsert100Rows1: batch1.baseline,
      appendBatch100x1: batch1.subject,
      plainInsert100Rows32: batch32.baseline,
      appendBatch100x32: batch32.subject,
      ratios: {
        append_1_writer: ratio(single1.subject, single1.baseline),
        append_32_writers: ratio(single32.subject, single32.baseline),
        batch100_1_writer: ratio(batch1.subject, batch1.baseline),
        batch100_32_writers: ratio(batch32.subject, batch32.baseline),
      },
      targets: { append_32_writers: 0.5, batch100_32_writers: 0.5 },
    };
  } finally {
    await pool.end();
    await db.stop();
  }
}

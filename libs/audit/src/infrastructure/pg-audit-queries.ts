/**
 * Compliance reads over the event log itself (the log is the evidence; no projection can lag or drift from it): a
 * filtered, cursor-paginated search, an investor's timeline, and a streamed evidence export with inclusion proofs.
 */
import { formatPosition, GlobalPosition, parsePosition, Queryable } from '@app/event-store';
import { TimelineEvent } from '../domain/investor-snapshot';
import { buildInclusionProof } from '../domain/proof-builder';
import { EVIDENCE_FORMAT, EvidenceHeader, toEvidenceEvent } from '../domain/verification';
import { CheckpointRecord, leafIndexSql, PgAuditStore } from './pg-audit-store';

export interface LogFilter {
  readonly streamId?: string;
  readonly investorId?: string;
  readonly productId?: string;
  readonly type?: string;
  readonly actor?: string;
  /** ISO-8601 instants bounding when the event was recorded, inclusive. */
  readonly from?: string;
  readonly to?: string;
}

export interface LogEntry {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: string;
  readonly position: string;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly hash: string;
  readonly recordedAt: string;
  /** Null until the sealer has appended it to the Merkle tree. */
  readonly leafIndex: number | null;
}

export interface LogPage {
  readonly items: readonly LogEntry[];
  readonly nextCursor: string | null;
}

type Row = {
  event_id: string;
  stream_id: string;
  revision: string;
  tx_id: string;
  position: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: Buffer;
  recorded_at: Date;
  leaf_index: string | null;
};

export const encodeCursor = (position: GlobalPosition): string => Buffer.from(formatPosition(position)).toString('base64url');
export const decodeCursor = (cursor: string): GlobalPosition => parsePosition(Buffer.from(cursor, 'base64url').toString('utf8'));

const toEntry = (row: Row): LogEntry => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  revision: row.revision,
  position: `${row.tx_id}:${row.position}`,
  type: row.type,
  schemaVersion: row.schema_version,
  data: row.data,
  metadata: row.metadata,
  hash: row.hash.toString('hex'),
  recordedAt: row.recorded_at.toISOString(),
  leafIndex: row.leaf_index === null ? null : Number(row.leaf_index),
});

/**
 * WHERE clauses for a filter. An investor's events include those of engagements that name the investor (E4), their
 * user's (registration, roles, shredding), and every event of the payments the investor made: a payment's stream names
 * its payer only in its first event.
 */
const whereOf = (filter: LogFilter, values: unknown[]): string[] => {
  const where: string[] = [];
  const add = (value: unknown) => `$${values.push(value)}`;
  if (filter.streamId) where.push(`e.stream_id = ${add(filter.streamId)}`);
  if (filter.investorId) {
    const p = add(filter.investorId);
    // Two index lookups joined by event id; an OR across them would make PostgreSQL scan the whole log. The `?`
    // conditions match the partial indexes' predicates, which is what lets the planner use them.
    where.push(`e.event_id IN (
      SELECT i.event_id FROM events i WHERE i.data ? 'investorId' AND i.data->>'investorId' = ${p}
      UNION
      SELECT g.event_id FROM events g
       WHERE g.data ? 'engagementId' AND g.data->>'engagementId' IN (
         SELECT x.data->>'engagementId' FROM events x WHERE x.data ? 'investorId' AND x.data->>'investorId' = ${p} AND x.data ? 'engagementId')
      UNION
      SELECT u.event_id FROM events u WHERE u.stream_id = 'user-' || ${p}
      UNION
      SELECT m.event_id FROM events m
       WHERE m.stream_id IN (
         SELECT r.stream_id FROM events r WHERE r.data ? 'payerId' AND r.data->>'payerId' = ${p} AND r.type = 'payments.PaymentRequested'))`);
  }
  if (filter.productId) {
    const p = add(filter.productId);
    where.push(`((e.data ? 'productId' AND e.data->>'productId' = ${p}) OR (e.data ? 'listingId' AND e.data->>'listingId' = ${p}))`);
  }
  if (filter.type) where.push(`e.type = ${add(filter.type)}`);
  if (filter.actor) where.push(`e.metadata->>'actor' = ${add(filter.actor)}`);
  if (filter.from) where.push(`e.recorded_at >= ${add(filter.from)}::timestamptz`);
  if (filter.to) where.push(`e.recorded_at <= ${add(filter.to)}::timestamptz`);
  return where;
};

const COLUMNS = `e.event_id, e.stream_id, e.revision, e.tx_id::text AS tx_id, e.position, e.type, e.schema_version, e.data, e.metadata,
                 e.hash, e.recorded_at`;

export class PgAuditQueries {
  private readonly store: PgAuditStore;

  /**
   * `searches` runs the search and the timeline, whose plans depend on the filter's values (LogDatabase.searchQuery);
   * `db` everything else.
   */
  constructor(
    private readonly db: Queryable,
    private readonly searches: Queryable = db,
  ) {
    this.store = new PgAuditStore(db);
  }

  /** Committed events matching the filter, in commit order, `limit` at a time. */
  async search(filter: LogFilter, options: { readonly cursor?: string; readonly limit?: number } = {}): Promise<LogPage> {
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
    const after = options.cursor ? decodeCursor(options.cursor) : { major: 0n, minor: 0n };
    const values: unknown[] = [after.major.toString(), after.minor.toString()];
    const where = [
      '(e.tx_id, e.position) > ($1::text::xid8, $2::bigint)',
      'e.tx_id < pg_snapshot_xmin(pg_current_snapshot())',
      ...whereOf(filter, values),
    ];
    const { rows } = await this.searches.query<Row>(
      `SELECT ${COLUMNS}, ${leafIndexSql('e')} AS leaf_index FROM events e
        WHERE ${where.join(' AND ')} ORDER BY e.tx_id, e.position LIMIT $${values.push(limit + 1)}`,
      values,
    );
    const items = rows.slice(0, limit).map(toEntry);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor({ major: BigInt(last.tx_id), minor: BigInt(last.position) }) : null };
  }

  /** Every event of an investor's file that occurred at or before `until`, in log order (for E4 reconstruction). */
  async investorTimeline(investorId: string, until?: string): Promise<TimelineEvent[]> {
    const values: unknown[] = [];
    const where = ['e.tx_id < pg_snapshot_xmin(pg_current_snapshot())', ...whereOf({ investorId }, values)];
    if (until) where.push(`(e.metadata->>'occurredAt')::timestamptz <= ${`$${values.push(until)}`}::timestamptz`);
    const { rows } = await this.searches.query<Omit<Row, 'leaf_index'>>(
      `SELECT ${COLUMNS} FROM events e WHERE ${where.join(' AND ')} ORDER BY e.tx_id, e.position`,
      values,
    );
    return rows.map((row) => ({
      eventId: row.event_id,
      streamId: row.stream_id,
      type: row.type,
      position: `${row.tx_id}:${row.position}`,
      occurredAt: typeof row.metadata.occurredAt === 'string' ? row.metadata.occurredAt : row.recorded_at.toISOString(),
      actor: typeof row.metadata.actor === 'string' ? row.metadata.actor : 'unknown',
      data: row.data,
    }));
  }

  /**
   * The evidence bundle as JSON Lines: a header with the signed checkpoint and the log's verifier key, each matching
   * event covered by that checkpoint with its inclusion proof, and an end line with the count. Events sealed after the
   * checkpoint are left out (a later checkpoint covers them); the header says how many.
   */
  async *exportEvidence(
    filter: LogFilter,
    checkpoint: CheckpointRecord,
    header: Omit<EvidenceHeader, 'kind' | 'format' | 'checkpoint' | 'query'>,
  ): AsyncGenerator<string> {
    const full: EvidenceHeader = { kind: 'header', format: EVIDENCE_FORMAT, checkpoint: checkpoint.note, query: { ...filter }, ...header };
    yield JSON.stringify(full);
    const read = this.store.reader(this.db);
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await this.search(filter, { cursor, limit: 500 });
      for (const item of page.items) {
        if (item.leafIndex === null || item.leafIndex >= checkpoint.treeSize) continue;
        const proof = await buildInclusionProof(read, item.leafIndex, checkpoint.treeSize);
        const fields = { ...item, id: item.eventId, revision: BigInt(item.revision) };
        yield JSON.stringify(toEvidenceEvent(fields, item.leafIndex, proof));
        count += 1;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    yield JSON.stringify({ kind: 'end', events: count });
  }
}

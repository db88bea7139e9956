/** The canonical bytes of a stored event and their SHA-256 hash: computed at append, recomputed by `audit verify`. */
import { createHash, hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * The hash every stored event carries (E2): defined here, beside canonical JSON, because the event store computes it at
 * append and the audit's pure verification recomputes it.
 */

/** The fields of a stored event that its hash covers (the global position is excluded: the Merkle tree orders events). */
export interface HashedFields {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
}

/** The fields an event's hash covers, as they are written in evidence: the revision as a decimal string. */
export const hashedFieldsOnTheWire = (event: HashedFields) => ({
  id: event.id,
  streamId: event.streamId,
  revision: event.revision.toString(),
  type: event.type,
  schemaVersion: event.schemaVersion,
  data: event.data,
  metadata: event.metadata,
});

export const canonicalEventBytes = (event: HashedFields): Buffer => Buffer.from(canonicalJson(hashedFieldsOnTheWire(event)), 'utf8');

/** SHA-256 of the canonical bytes, hex. Computed at append and stored with the row; `audit verify` recomputes it. */
export const eventHash = (event: HashedFields): string => createHash('sha256').update(canonicalEventBytes(event)).digest('hex');

/** The hashed fields with data and metadata already serialised by `canonicalJson`. */
export type CanonicalFields = Omit<HashedFields, 'data' | 'metadata'> & { readonly dataJson: string; readonly metadataJson: string };

/**
 * The same hash from payloads already in canonical JSON, so an append serialises each payload once and stores those
 * very bytes. The envelope's keys are written in canonical (sorted) order: data, id, metadata, revision,
 * schemaVersion, streamId, type. Hex digest: the one-shot `hash` with a string result allocates no Buffer per event.
 */
export const eventHashHexFromCanonical = (event: CanonicalFields): string =>
  hash(
    'sha256',
    `{"data":${event.dataJson},"id":${JSON.stringify(event.id)},"metadata":${event.metadataJson},"revision":${JSON.stringify(event.revision.toString())},` +
      `"schemaVersion":${canonicalJson(event.schemaVersion)},"streamId":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)}}`,
  );

export const eventHashFromCanonical = (event: CanonicalFields): Buffer => Buffer.from(eventHashHexFromCanonical(event), 'hex');

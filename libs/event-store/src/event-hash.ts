/** The canonical bytes of a stored event and their SHA-256 hash: computed at append, recomputed by `audit verify`. */
import { createHash, hash } from 'node:crypto';
import { canonicalJson } from '@app/common';

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

export const canonicalEventBytes = (event: HashedFields): Buffer =>
  Buffer.from(
    canonicalJson({
      id: event.id,
      streamId: event.streamId,
      revision: event.revision.toString(),
      type: event.type,
      schemaVersion: event.schemaVersion,
      data: event.data,
      metadata: event.metadata,
    }),
    'utf8',
  );

/** SHA-256 of the canonical bytes, hex. Computed at append and stored with the row; `audit verify` recomputes it. */
export const eventHash = (event: HashedFields): string => createHash('sha256').update(canonicalEventBytes(event)).digest('hex');

const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_KEPT = 10_000;

/** A key as it opens a member: `"key":`. Payload keys repeat from event to event; their quoting is kept (bounded). */
const quotedKey = (key: string): string => {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, quoted);
  }
  return quoted;
};

/**
 * `canonicalJson` byte for byte (the spec holds it to that, holes in arrays and undefined members included), written in
 * one pass without the intermediate arrays, for the append path where it runs twice per event.
 */
export const canonicalPayloadJson = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          // canonicalJson maps over the array: a hole stays empty, an undefined element becomes null.
          out += item !== undefined ? canonicalPayloadJson(item) : i in value ? 'null' : '';
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${out.length > 1 ? ',' : ''}${quotedKey(key)}${canonicalPayloadJson(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonicalJson: unsupported value of type ${typeof value}`);
  }
};

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

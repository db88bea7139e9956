import { createHash } from 'node:crypto';
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

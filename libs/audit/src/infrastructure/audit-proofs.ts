/**
 * Proofs for compliance officers and outside auditors: an event's inclusion under a signed checkpoint, and the
 * consistency of two checkpoints. Both come with the signed notes they refer to, so the answer can be checked with the
 * standalone verifier alone.
 */
import { DomainError, notFound, ruleViolation } from '@app/common';
import { Queryable } from '@app/event-store';
import { buildConsistencyProof, buildInclusionProof } from '../domain/proof-builder';
import { ConsistencyProof, encodeHashes, InclusionProof } from '../domain/verification';
import { CheckpointRecord, PgAuditStore } from './pg-audit-store';

export interface InclusionAnswer {
  readonly eventId: string;
  readonly eventHash: string;
  readonly checkpoint: string;
  readonly proof: InclusionProof;
}

export interface ConsistencyAnswer {
  readonly older: string;
  readonly newer: string;
  readonly proof: ConsistencyProof;
}

export class AuditProofs {
  private readonly store: PgAuditStore;

  constructor(db: Queryable) {
    this.store = new PgAuditStore(db);
  }

  /** Against the checkpoint of `treeSize`, or the latest checkpoint when none is named. */
  async inclusion(eventId: string, treeSize?: number): Promise<InclusionAnswer | DomainError> {
    const leaf = await this.store.leafByEventId(eventId);
    if (!leaf) return notFound('AUDIT.EVENT_NOT_SEALED', `event ${eventId} is not sealed into the audit log yet`);
    const checkpoint = await this.checkpoint(treeSize);
    if (checkpoint instanceof DomainError) return checkpoint;
    if (leaf.leafIndex >= checkpoint.treeSize) {
      return ruleViolation(
        'AUDIT.EVENT_AFTER_CHECKPOINT',
        'E2',
        `event ${eventId} was sealed at leaf ${leaf.leafIndex}, after the checkpoint of size ${checkpoint.treeSize}; ask for a later checkpoint`,
      );
    }
    const hashes = await buildInclusionProof(this.store.reader(), leaf.leafIndex, checkpoint.treeSize);
    return {
      eventId,
      eventHash: leaf.eventHash.toString('hex'),
      checkpoint: checkpoint.note,
      proof: { leafIndex: leaf.leafIndex, treeSize: checkpoint.treeSize, hashes: encodeHashes(hashes) },
    };
  }

  async consistency(fromSize: number, toSize?: number): Promise<ConsistencyAnswer | DomainError> {
    const older = await this.checkpoint(fromSize);
    if (older instanceof DomainError) return older;
    const newer = await this.checkpoint(toSize);
    if (newer instanceof DomainError) return newer;
    if (older.treeSize > newer.treeSize) {
      return ruleViolation('AUDIT.CHECKPOINTS_OUT_OF_ORDER', 'E2', `checkpoint ${older.treeSize} is newer than ${newer.treeSize}`);
    }
    const hashes = await buildConsistencyProof(this.store.reader(), older.treeSize, newer.treeSize);
    return {
      older: older.note,
      newer: newer.note,
      proof: { fromSize: older.treeSize, toSize: newer.treeSize, hashes: encodeHashes(hashes) },
    };
  }

  private async checkpoint(treeSize?: number): Promise<CheckpointRecord | DomainError> {
    const found = treeSize === undefined ? await this.store.latestCheckpoint() : await this.store.checkpointAt(treeSize);
    if (!found) {
      return notFound(
        'AUDIT.CHECKPOINT_NOT_FOUND',
        treeSize === undefined ? 'no checkpoint has been signed yet' : `no checkpoint of size ${treeSize}`,
      );
    }
    return found;
  }
}

/**
 * The compliance officer's use cases over the audit log. Every read of evidence first records who is looking, at whose
 * data, and why (E5); only then is anything read. Proof and checkpoint answers carry signed notes, so whatever leaves
 * here can be checked later with the standalone verifier.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CommandContext, DomainError, IdGenerator, invalid, notFound } from '@app/common';
import { LogDatabase } from '@app/event-store';
import { AggregateStore } from '@app/platform';
import { accessDecider, accessStreamId, AccessKind, OWN_FILE_REASON, RecordAccess } from '../domain/evidence-access';
import { InvestorSnapshot, reconstructInvestor, TimelineEvent } from '../domain/investor-snapshot';
import { AuditProofs, ConsistencyAnswer, InclusionAnswer } from '../infrastructure/audit-proofs';
import { CheckpointRecord, PgAuditStore } from '../infrastructure/pg-audit-store';
import { LogFilter, LogPage, PgAuditQueries } from '../infrastructure/pg-audit-queries';
import { AuditSigning } from '../infrastructure/signing-key';
import { AUDIT_SIGNING, AuditSealerService } from './audit-sealer.service';
import { WitnessCosigningService } from './witness-cosigning.service';

const orThrow = <T>(value: T | DomainError): T => {
  if (value instanceof DomainError) throw value;
  return value;
};

export interface CheckpointView {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly origin: string;
  readonly keyId: string;
  readonly note: string;
  readonly signedAt: string;
}

export const toCheckpointView = (c: CheckpointRecord): CheckpointView => ({
  treeSize: c.treeSize,
  rootHash: c.rootHash.toString('base64'),
  origin: c.origin,
  keyId: c.keyId,
  note: c.note,
  signedAt: c.signedAt.toISOString(),
});

@Injectable()
export class EvidenceService {
  private readonly queries: PgAuditQueries;
  private readonly proofs: AuditProofs;
  private readonly store: PgAuditStore;

  constructor(
    private readonly events: LogDatabase,
    private readonly aggregates: AggregateStore,
    private readonly ids: IdGenerator,
    private readonly sealer: AuditSealerService,
    @Inject(AUDIT_SIGNING) private readonly signing: AuditSigning,
    private readonly witnesses: WitnessCosigningService,
  ) {
    this.queries = new PgAuditQueries(events, { query: (text, values) => events.searchQuery(text, values) });
    this.proofs = new AuditProofs(events);
    this.store = new PgAuditStore(events);
  }

  verifierKey() {
    return { origin: this.signing.origin, verifierKey: this.signing.verifierKey };
  }

  /** E5: appends the access record before any evidence is read; a refusal (no reason, wrong role) reads nothing. */
  async recordAccess(
    context: CommandContext,
    kind: AccessKind,
    subject: RecordAccess['subject'],
    query: Record<string, unknown>,
    reason: string | undefined,
  ) {
    const accessId = this.ids.next();
    const command: RecordAccess = { accessId, kind, actor: context.actor, subject, query, reason, now: context.now };
    await this.aggregates.handle(accessDecider, accessStreamId(accessId), command, context, () => undefined);
  }

  async search(context: CommandContext, filter: LogFilter, page: { cursor?: string; limit?: number }, reason?: string): Promise<LogPage> {
    await this.recordAccess(
      context,
      'log_search',
      { investorId: filter.investorId, streamId: filter.streamId, productId: filter.productId },
      { ...filter },
      reason,
    );
    try {
      return await this.queries.search(filter, page);
    } catch (error) {
      if (error instanceof Error && /not a log position/.test(error.message))
        throw invalid('AUDIT.BAD_CURSOR', 'the cursor is not one this API issued');
      throw error;
    }
  }

  async timeline(context: CommandContext, investorId: string, until: string | undefined, reason?: string): Promise<TimelineEvent[]> {
    await this.recordAccess(context, 'investor_timeline', { investorId }, { investorId, until }, reason);
    return this.queries.investorTimeline(investorId, until);
  }

  /** The investor's own file (PIPL 45): their events only, the access recorded like any other (E5). */
  async ownTimeline(context: CommandContext, until: string | undefined): Promise<TimelineEvent[]> {
    const investorId = context.actor.id;
    await this.recordAccess(context, 'own_timeline', { investorId }, { investorId, until }, undefined);
    return this.queries.investorTimeline(investorId, until);
  }

  /** The investor's own evidence bundle: their events with inclusion proofs under a fresh signed checkpoint. */
  async ownExport(context: CommandContext, range: { from?: string; to?: string }): Promise<AsyncGenerator<string>> {
    const filter: LogFilter = { investorId: context.actor.id, from: range.from, to: range.to };
    await this.recordAccess(context, 'own_evidence_export', { investorId: context.actor.id }, { ...filter }, undefined);
    return this.exportBundle(context, filter, OWN_FILE_REASON);
  }

  /** E4: the investor's file as it stood at `at`. */
  async snapshot(context: CommandContext, investorId: string, at: string, reason?: string): Promise<InvestorSnapshot> {
    await this.recordAccess(context, 'investor_snapshot', { investorId }, { investorId, at }, reason);
    const events = await this.queries.investorTimeline(investorId, at);
    if (events.length === 0) throw notFound('AUDIT.INVESTOR_NOT_FOUND', `no events of investor ${investorId} at or before ${at}`);
    return reconstructInvestor(investorId, at, events);
  }

  async inclusionProof(context: CommandContext, eventId: string, treeSize: number | undefined, reason?: string): Promise<InclusionAnswer> {
    await this.recordAccess(context, 'inclusion_proof', {}, { eventId, treeSize }, reason);
    return orThrow(await this.proofs.inclusion(eventId, treeSize));
  }

  async consistencyProof(fromSize: number, toSize: number | undefined): Promise<ConsistencyAnswer> {
    return orThrow(await this.proofs.consistency(fromSize, toSize));
  }

  async checkpointNow(): Promise<CheckpointView> {
    const checkpoint = await this.sealer.checkpoint();
    if (!checkpoint) throw notFound('AUDIT.LOG_EMPTY', 'the log has no events to checkpoint yet');
    return toCheckpointView(checkpoint);
  }

  /** E6: the latest checkpoint note with the witnesses' cosignatures, for anyone. */
  async publicCheckpoint(): Promise<string> {
    const checkpoint = await this.store.latestCheckpoint();
    if (!checkpoint) throw notFound('AUDIT.CHECKPOINT_NOT_FOUND', 'no checkpoint has been signed yet');
    return this.witnesses.noteWithCosignatures(checkpoint);
  }

  publicKeys() {
    return { ...this.verifierKey(), witnesses: this.witnesses.witnesses.map((witness) => witness.cosignerKey) };
  }

  async latestCheckpoint(): Promise<CheckpointView> {
    const checkpoint = await this.store.latestCheckpoint();
    if (!checkpoint) throw notFound('AUDIT.CHECKPOINT_NOT_FOUND', 'no checkpoint has been signed yet');
    return toCheckpointView(checkpoint);
  }

  async listCheckpoints(afterSize: number, limit: number): Promise<CheckpointView[]> {
    return (await this.store.listCheckpoints(afterSize, limit)).map(toCheckpointView);
  }

  /**
   * E2, E4: seals what is committed, signs a checkpoint, and streams the matching events with inclusion proofs under
   * it as JSON Lines. The access is recorded first (E5).
   */
  async export(context: CommandContext, filter: LogFilter, reason?: string): Promise<AsyncGenerator<string>> {
    await this.recordAccess(
      context,
      'evidence_export',
      { investorId: filter.investorId, streamId: filter.streamId, productId: filter.productId },
      { ...filter },
      reason,
    );
    return this.exportBundle(context, filter, reason?.trim() ?? '');
  }

  private async exportBundle(context: CommandContext, filter: LogFilter, reason: string): Promise<AsyncGenerator<string>> {
    const signed = await this.sealer.checkpoint();
    if (!signed) throw notFound('AUDIT.LOG_EMPTY', 'the log has no events to export yet');
    // The bundle carries the witnesses' cosignatures of its checkpoint: wait for the submissions under way (bounded by
    // the witness timeout); a witness that did not cosign is simply absent.
    await this.witnesses.settled();
    const checkpoint = { ...signed, note: await this.witnesses.noteWithCosignatures(signed) };
    return this.queries.exportEvidence(filter, checkpoint, {
      verifierKey: this.signing.verifierKey,
      exportedAt: context.now.toISOString(),
      exportedBy: context.actor.id,
      reason,
    });
  }
}

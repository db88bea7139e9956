import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const ANY_OBJECT = { type: 'object', additionalProperties: true } as const;

export class VerifierKeyResponse {
  @ApiProperty({ example: 'advisory-marketplace.example/log', description: "the log's origin line" }) origin: string;
  @ApiProperty({ description: 'Ed25519 verifier key in C2SP signed-note vkey form' }) verifierKey: string;
}

export class PublicKeysResponse extends VerifierKeyResponse {
  @ApiProperty({ type: [String], description: "the configured witnesses' cosigner keys (vkey form)" }) witnesses: string[];
}

export class LogEntryResponse {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() streamId: string;
  @ApiProperty({ description: 'the revision in its stream (a decimal string)' }) revision: string;
  @ApiProperty({ description: 'commit position "<tx id>:<sequence>"' }) position: string;
  @ApiProperty({ example: 'advisory.EngagementMatched' }) type: string;
  @ApiProperty() schemaVersion: number;
  @ApiProperty(ANY_OBJECT) data: Record<string, unknown>;
  @ApiProperty({ ...ANY_OBJECT, description: 'actor, actorRoles, correlationId, causationId, idempotencyKey, occurredAt, channel' })
  metadata: Record<string, unknown>;
  @ApiProperty({ description: "the event's hash (hex)" }) hash: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null until sealed into the Merkle tree' }) leafIndex: number | null;
}

export class LogPageResponse {
  @ApiProperty({ type: [LogEntryResponse] }) items: LogEntryResponse[];
  @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` for the next page; null on the last' }) nextCursor:
    string | null;
}

export class TimelineEventResponse {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty() streamId: string;
  @ApiProperty() type: string;
  @ApiProperty() position: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty() actor: string;
  @ApiProperty(ANY_OBJECT) data: Record<string, unknown>;
}

export class DocumentEvidenceResponse {
  @ApiProperty({ example: 'risk_disclosure' }) kind: string;
  @ApiPropertyOptional() documentId?: string;
  @ApiPropertyOptional() version?: string;
  @ApiProperty({ description: 'hash of the exact text the investor confirmed' }) contentHash: string;
  @ApiProperty({ format: 'date-time' }) confirmedAt: string;
  @ApiProperty() confirmedBy: string;
  @ApiProperty({ format: 'uuid' }) eventId: string;
}

export class RiskAssessmentSnapshot {
  @ApiProperty() assessmentId: string;
  @ApiProperty({ example: 'C3' }) category: string;
  @ApiPropertyOptional() lowestCategory?: boolean;
  @ApiPropertyOptional() questionnaireVersion?: string;
  @ApiPropertyOptional() questionnaireHash?: string;
  @ApiProperty({ format: 'date-time' }) assessedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) validUntil?: string;
  @ApiPropertyOptional({ format: 'date-time' }) confirmedAt?: string;
  @ApiProperty({ description: 'still valid at asOf (not expired, not withdrawn by a material change)' }) inForce: boolean;
}

export class ContractSnapshot {
  @ApiProperty() serial: string;
  @ApiPropertyOptional() contentHash?: string;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiPropertyOptional({ format: 'date-time' }) rescissionDeadline?: string;
}

export class SubscriptionSnapshot {
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ format: 'date-time' }) periodStart: string;
  @ApiProperty({ format: 'date-time' }) periodEnd: string;
  @ApiPropertyOptional() ruleSetVersion?: string;
  @ApiProperty({ enum: ['pending', 'captured', 'failed'], description: 'in force only once captured' }) payment: string;
}

export class RescissionSnapshot {
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty(ANY_OBJECT) notice: Record<string, unknown>;
}

export class ReturnVisitSnapshot {
  @ApiPropertyOptional({ format: 'date-time' }) queuedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional() outcome?: string;
  @ApiPropertyOptional(ANY_OBJECT) checklist?: Record<string, unknown>;
}

export class EngagementSnapshotResponse {
  @ApiProperty() engagementId: string;
  @ApiPropertyOptional() productId?: string;
  @ApiPropertyOptional({ format: 'date-time' }) matchedAt?: string;
  @ApiPropertyOptional({ description: 'who initiated the purchase (A4)' }) initiatedBy?: string;
  @ApiPropertyOptional({ ...ANY_OBJECT, description: 'the matching opinion with its rules (A3)' }) opinion?: Record<string, unknown>;
  @ApiPropertyOptional() ruleSetVersion?: string;
  @ApiPropertyOptional(ANY_OBJECT) investorAtMatching?: Record<string, unknown>;
  @ApiPropertyOptional(ANY_OBJECT) productAtMatching?: Record<string, unknown>;
  @ApiPropertyOptional({ type: 'array', items: ANY_OBJECT }) requiredDocuments?: Record<string, unknown>[];
  @ApiProperty({ type: [DocumentEvidenceResponse] }) confirmedDocuments: DocumentEvidenceResponse[];
  @ApiPropertyOptional({ type: ContractSnapshot }) contract?: ContractSnapshot;
  @ApiProperty({ type: [SubscriptionSnapshot] }) subscriptions: SubscriptionSnapshot[];
  @ApiPropertyOptional({ type: RescissionSnapshot }) rescinded?: RescissionSnapshot;
  @ApiPropertyOptional({ type: ReturnVisitSnapshot }) returnVisit?: ReturnVisitSnapshot;
}

/** The investor's suitability file as it stood at an instant (E4). */
export class InvestorSnapshotResponse {
  @ApiProperty({ format: 'uuid' }) investorId: string;
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty() eventsConsidered: number;
  @ApiProperty({ type: String, nullable: true }) lastEventId: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) accountOpenedAt?: string;
  @ApiPropertyOptional({ ...ANY_OBJECT, description: 'ordinary or professional, and since when' }) classification?: Record<string, unknown>;
  @ApiPropertyOptional({ ...ANY_OBJECT, description: 'the basic information profile (absent once shredded)' }) profile?: Record<
    string,
    unknown
  >;
  @ApiProperty() personalDataShredded: boolean;
  @ApiPropertyOptional({ type: RiskAssessmentSnapshot }) riskAssessment?: RiskAssessmentSnapshot;
  @ApiProperty({ type: [EngagementSnapshotResponse] }) engagements: EngagementSnapshotResponse[];
}

export class InclusionProofResponse {
  @ApiProperty() leafIndex: number;
  @ApiProperty() treeSize: number;
  @ApiProperty({ type: [String], description: 'audit path hashes (hex), leaf to root' }) hashes: string[];
}

export class InclusionAnswerResponse {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ description: "the event's leaf hash (hex)" }) eventHash: string;
  @ApiProperty({ description: 'the signed checkpoint (C2SP signed note) the proof is against' }) checkpoint: string;
  @ApiProperty({ type: InclusionProofResponse }) proof: InclusionProofResponse;
}

export class ConsistencyProofResponse {
  @ApiProperty() fromSize: number;
  @ApiProperty() toSize: number;
  @ApiProperty({ type: [String], description: 'RFC 6962 consistency proof hashes (hex)' }) hashes: string[];
}

export class ConsistencyAnswerResponse {
  @ApiProperty({ description: 'the older signed checkpoint' }) older: string;
  @ApiProperty({ description: 'the newer signed checkpoint' }) newer: string;
  @ApiProperty({ type: ConsistencyProofResponse }) proof: ConsistencyProofResponse;
}

export class CheckpointResponse {
  @ApiProperty() treeSize: number;
  @ApiProperty({ description: 'Merkle root (base64)' }) rootHash: string;
  @ApiProperty() origin: string;
  @ApiProperty() keyId: string;
  @ApiProperty({ description: 'the C2SP signed note' }) note: string;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
}

export class VerificationProgress {
  @ApiProperty() eventsChecked: number;
  @ApiProperty() eventsTotal: number;
}

export class LogProblemResponse {
  @ApiProperty({ enum: ['changed', 'missing', 'inserted', 'reordered', 'checkpoint', 'tree'] }) kind: string;
  @ApiProperty({ description: 'the first bad leaf index' }) leafIndex: number;
  @ApiPropertyOptional() eventId?: string;
  @ApiPropertyOptional() position?: string;
  @ApiPropertyOptional() sealedEventHash?: string;
  @ApiProperty() detail: string;
}

export class VerificationResultResponse {
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional() treeSize?: number;
  @ApiPropertyOptional() checkpointsVerified?: number;
  @ApiPropertyOptional() unsealedEvents?: number;
  @ApiPropertyOptional() rootHash?: string;
  @ApiPropertyOptional({ type: LogProblemResponse }) problem?: LogProblemResponse;
  @ApiPropertyOptional({ description: 'why the job could not finish (status error or interrupted)' }) error?: string;
  @ApiPropertyOptional() durationMs?: number;
  @ApiPropertyOptional() eventsPerSecond?: number;
}

export class VerificationResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['running', 'ok', 'failed', 'error', 'interrupted'] }) status: string;
  @ApiProperty() requestedBy: string;
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'the recorded access (E5)' }) accessId: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt: string | null;
  @ApiProperty({ type: VerificationProgress }) progress: VerificationProgress;
  @ApiProperty({ type: VerificationResultResponse, nullable: true }) result: VerificationResultResponse | null;
}

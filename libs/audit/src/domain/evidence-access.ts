/**
 * Access to evidence is itself evidence (E5): every compliance query, proof request and export is recorded as an event
 * saying who looked, at whose data, when, what they asked for, and why. No reason, no access.
 */
import { DomainError, forbidden, ruleViolation } from '@app/common';

export const AuditEventType = {
  EvidenceAccessed: 'audit.EvidenceAccessed',
} as const;

export type AccessKind = 'log_search' | 'investor_timeline' | 'investor_snapshot' | 'evidence_export' | 'inclusion_proof' | 'consistency_proof' | 'log_verification';

export const COMPLIANCE_ROLE = 'compliance_officer';
const MIN_REASON_LENGTH = 5;

export interface RecordAccess {
  readonly accessId: string;
  readonly kind: AccessKind;
  readonly actor: { readonly id: string; readonly roles: readonly string[] };
  /** Whose data: the investor, stream or product the request is about, when it names one. */
  readonly subject: { readonly investorId?: string; readonly streamId?: string; readonly productId?: string };
  readonly query: Record<string, unknown>;
  readonly reason: string | undefined;
  readonly now: Date;
}

export interface EvidenceAccessed {
  readonly type: typeof AuditEventType.EvidenceAccessed;
  readonly data: {
    readonly accessId: string;
    readonly kind: AccessKind;
    readonly actorId: string;
    readonly subject: RecordAccess['subject'];
    readonly query: Record<string, unknown>;
    readonly reason: string;
    readonly accessedAt: string;
  };
}

/** One stream per access: concurrent reads by the same officer never contend for a stream revision. */
export const accessStreamId = (accessId: string) => `audit.access-${accessId}`;

export const decideAccess = (command: RecordAccess): EvidenceAccessed[] | DomainError => {
  if (!command.actor.roles.includes(COMPLIANCE_ROLE)) {
    return forbidden('AUDIT.COMPLIANCE_ROLE_REQUIRED', 'only a compliance officer may read audit evidence', 'E5');
  }
  const reason = command.reason?.trim() ?? '';
  if (reason.length < MIN_REASON_LENGTH) {
    return ruleViolation('AUDIT.ACCESS_REASON_REQUIRED', 'E5', `say why you need this evidence (at least ${MIN_REASON_LENGTH} characters)`);
  }
  return [
    {
      type: AuditEventType.EvidenceAccessed,
      data: {
        accessId: command.accessId,
        kind: command.kind,
        actorId: command.actor.id,
        subject: command.subject,
        query: command.query,
        reason,
        accessedAt: command.now.toISOString(),
      },
    },
  ];
};

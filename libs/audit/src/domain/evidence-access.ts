/**
 * Access to evidence is itself evidence (E5): every compliance query, proof request and export is recorded as an event
 * saying who looked, at whose data, when, what they asked for, and why. No reason, no access. An investor reading
 * their own file (PIPL 45) is recorded the same way; the ground is the right of access, so no reason is asked.
 */
import { Decider, DomainError, forbidden, ruleViolation } from '@app/common';

export const AuditEventType = {
  EvidenceAccessed: 'audit.EvidenceAccessed',
} as const;

export type AccessKind =
  | 'log_search'
  | 'investor_timeline'
  | 'investor_snapshot'
  | 'evidence_export'
  | 'inclusion_proof'
  | 'consistency_proof'
  | 'log_verification'
  | 'own_timeline'
  | 'own_evidence_export'
  /** One investor's marketing messages (reach), each with the log event that sent it. */
  | 'investor_messages';

/** What an investor may read: their own file, and only that. */
const OWN_FILE_KINDS: readonly AccessKind[] = ['own_timeline', 'own_evidence_export'];
export const OWN_FILE_REASON = 'the investor reads their own file (PIPL 45)';

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

const accessed = (command: RecordAccess, reason: string): EvidenceAccessed[] => [
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

export const decideAccess = (command: RecordAccess): EvidenceAccessed[] | DomainError => {
  if (OWN_FILE_KINDS.includes(command.kind)) {
    if (!command.subject.investorId || command.subject.investorId !== command.actor.id) {
      return forbidden('AUDIT.NOT_OWN_FILE', 'an investor reads their own file only', 'E5');
    }
    return accessed(command, OWN_FILE_REASON);
  }
  if (!command.actor.roles.includes(COMPLIANCE_ROLE)) {
    return forbidden('AUDIT.COMPLIANCE_ROLE_REQUIRED', 'only a compliance officer may read audit evidence', 'E5');
  }
  const reason = command.reason?.trim() ?? '';
  if (reason.length < MIN_REASON_LENGTH) {
    return ruleViolation('AUDIT.ACCESS_REASON_REQUIRED', 'E5', `say why you need this evidence (at least ${MIN_REASON_LENGTH} characters)`);
  }
  return accessed(command, reason);
};

/** An access record's stream: one record under a fresh id, decided by E5 (`decideAccess`); the append checks it is new. */
export const accessDecider: Decider<RecordAccess, EvidenceAccessed, { readonly recorded: boolean }> = {
  initialState: { recorded: false },
  decide: (command) => decideAccess(command),
  evolve: () => ({ recorded: true }),
};

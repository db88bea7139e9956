/**
 * Advice records (A9): an advisor attached to an advisory product publishes advice to its subscribers. Each record
 * states its basis (a research report's issuer and date, or a model version) and must pass the content guard (V3).
 * The guard is a parameter so the catalog's guard, and its later versions, plug in without this decider changing.
 */
import { Decider, DomainError, DomainEvent, conflict, forbidden, invalid, ruleViolation } from '@app/common';
import { Advisor, contentHash, isSacRegistrationCode } from '../documents';
import { Step, localDate } from '../shared';

export type ContentGuard = (text: string) => { ok: true } | { ok: false; phrase: string; rule: string };

export type AdviceBasis =
  | { readonly kind: 'research_report'; readonly issuer: string; readonly reportDate: string; readonly title?: string }
  | { readonly kind: 'model'; readonly modelVersion: string };

export interface PublishAdvice {
  readonly type: 'PublishAdvice';
  readonly adviceId: string;
  readonly productId: string;
  readonly productAdvisors: readonly Advisor[];
  readonly authorRoles: readonly string[];
  readonly content: string;
  readonly basis: AdviceBasis;
  readonly step: Step;
}

export type AdviceCommand = PublishAdvice;

export const AdviceEventType = { AdvicePublished: 'advisory.AdvicePublished' } as const;

export type AdvicePublished = DomainEvent<
  typeof AdviceEventType.AdvicePublished,
  {
    readonly adviceId: string;
    readonly productId: string;
    readonly advisorId: string;
    readonly advisorName: string;
    readonly sacRegistrationCode: string;
    readonly content: string;
    readonly contentHash: string;
    readonly basis: AdviceBasis;
    readonly step: Step;
  }
>;

export type AdviceEvent = AdvicePublished;

export type AdviceState =
  { readonly status: 'none' } | { readonly status: 'published'; readonly adviceId: string; readonly productId: string };

const basisProblem = (basis: AdviceBasis | undefined, nowIso: string): string | null => {
  if (!basis) return 'the basis of the advice is required';
  if (basis.kind === 'research_report') {
    if (!basis.issuer?.trim()) return 'the research report issuer is required';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(basis.reportDate ?? '') || Number.isNaN(Date.parse(basis.reportDate)))
      return 'the research report date is required';
    if (basis.reportDate > localDate(nowIso)) return 'the research report date is in the future';
    return null;
  }
  if (basis.kind === 'model') return basis.modelVersion?.trim() ? null : 'the model version is required';
  return 'the basis is a research report or a model';
};

export const makeAdviceDecider = (guard: ContentGuard): Decider<AdviceCommand, AdviceEvent, AdviceState> => ({
  initialState: { status: 'none' },
  decide: (command, state): AdviceEvent[] | DomainError => {
    if (state.status !== 'none')
      return conflict('ADVICE.ALREADY_PUBLISHED', 'advice records are immutable; publish a new one that references it', 'E1');
    if (!command.authorRoles.includes('advisor'))
      return forbidden('ADVICE.NOT_AN_ADVISOR', 'only registered advisors publish advice', 'A9');
    const advisor = command.productAdvisors.find((a) => a.advisorId === command.step.actorId);
    if (!advisor)
      return forbidden('ADVICE.NOT_PRODUCT_ADVISOR', 'only an advisor attached to the product publishes to its subscribers', 'A9');
    if (!isSacRegistrationCode(advisor.sacRegistrationCode))
      return ruleViolation('ADVICE.ADVISOR_NOT_REGISTERED', 'A9', 'the advisor has no valid SAC registration code');
    if (!command.content?.trim()) return invalid('ADVICE.CONTENT_REQUIRED', 'advice has content', 'A9');
    const problem = basisProblem(command.basis, command.step.at);
    if (problem) return ruleViolation('ADVICE.BASIS_MISSING', 'A9', problem);
    const verdict = guard(command.content);
    if (!verdict.ok) {
      return ruleViolation('ADVICE.CONTENT_BLOCKED', 'V3', `the advice contains a prohibited phrase: "${verdict.phrase}"`, {
        phrase: verdict.phrase,
        guardRule: verdict.rule,
      });
    }
    return [
      {
        type: AdviceEventType.AdvicePublished,
        data: {
          adviceId: command.adviceId,
          productId: command.productId,
          advisorId: advisor.advisorId,
          advisorName: advisor.name,
          sacRegistrationCode: advisor.sacRegistrationCode,
          content: command.content,
          contentHash: contentHash(command.content),
          basis: command.basis,
          step: command.step,
        },
      },
    ];
  },
  evolve: (state, event) =>
    event.type === AdviceEventType.AdvicePublished
      ? { status: 'published', adviceId: event.data.adviceId, productId: event.data.productId }
      : state,
});

export const adviceStreamId = (adviceId: string): string => `advisory.advice-${adviceId}`;

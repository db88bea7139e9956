import { DomainError, notFound } from '@app/common';
import type { Questionnaire } from './questionnaire';
import { RQ_2025_1 } from './rq-2025-1';

export * from './questionnaire';
export { RQ_2025_1 } from './rq-2025-1';

/**
 * Every questionnaire version ever used stays here: stored assessments name the version they were scored with. Clients
 * name versions too, so the table has no prototype: `toString` or `__proto__` must not be found in it.
 */
export const QUESTIONNAIRES: Readonly<Record<string, Questionnaire>> = Object.freeze(
  Object.assign(Object.create(null), { [RQ_2025_1.version]: RQ_2025_1 }),
);

export const CURRENT_QUESTIONNAIRE: Questionnaire = RQ_2025_1;

/** The questionnaire an assessment is scored with: the version the client names, else the current one (A3). */
export const questionnaireNamed = (version: string | undefined): Questionnaire | DomainError =>
  !version
    ? CURRENT_QUESTIONNAIRE
    : (QUESTIONNAIRES[version] ?? notFound('ASSESSMENT.QUESTIONNAIRE_UNKNOWN', `no questionnaire ${version}`));

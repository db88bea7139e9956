/**
 * Business failures are values with a stable code, a human message and, where a rulebook rule refused the request,
 * the rule ID from docs/domain.md. The HTTP layer maps `kind` to a status in one place (the exception filter).
 */
export type ErrorKind =
  | 'validation' // 400: malformed input
  | 'unauthenticated' // 401
  | 'forbidden' // 403: the caller may not do this
  | 'not_found' // 404
  | 'conflict' // 409: state or concurrency conflict
  | 'rule_violation' // 422: a domain rule refused the request
  | 'rate_limited'; // 429

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly rule?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

/** A rule from docs/domain.md refused the request. */
export const ruleViolation = (code: string, rule: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('rule_violation', code, message, rule, details);

export const notFound = (code: string, message: string) => new DomainError('not_found', code, message);
export const forbidden = (code: string, message: string, rule?: string) => new DomainError('forbidden', code, message, rule);
export const conflict = (code: string, message: string, rule?: string) => new DomainError('conflict', code, message, rule);
export const invalid = (code: string, message: string, rule?: string) => new DomainError('validation', code, message, rule);

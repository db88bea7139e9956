import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainError, ruleViolation } from '@app/common';
import { WrongExpectedRevisionError } from '@app/event-store';
import { ErrorFilter } from './http';
import { JsonLogger } from './logger';

describe('ErrorFilter', () => {
  const filter = new ErrorFilter(new JsonLogger('error'));

  it.each([
    ['validation', 400],
    ['unauthenticated', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['conflict', 409],
    ['rule_violation', 422],
    ['rate_limited', 429],
  ] as const)('maps a %s domain error to %i with its code', (kind, status) => {
    expect(filter.map(new DomainError(kind, 'X.Y', 'why'))).toEqual([status, { code: 'X.Y', message: 'why' }]);
  });

  it('names the rule that refused a request', () => {
    expect(filter.map(ruleViolation('COUPON.ADVISORY_NOT_ALLOWED', 'V2', 'no incentives on advisory'))).toEqual([
      422,
      { code: 'COUPON.ADVISORY_NOT_ALLOWED', message: 'no incentives on advisory', rule: 'V2' },
    ]);
  });

  it('answers a lost optimistic-concurrency race with 409', () => {
    expect(filter.map(new WrongExpectedRevisionError('s', 1n, 2n))[0]).toBe(409);
  });

  it('keeps coded HTTP exceptions and gives plain ones a stable code', () => {
    expect(filter.map(new BadRequestException({ code: 'VALIDATION.FAILED', message: 'm' }))).toEqual([400, { code: 'VALIDATION.FAILED', message: 'm' }]);
    expect(filter.map(new NotFoundException())).toEqual([404, { code: 'REQUEST.NOT_FOUND', message: 'Not Found' }]);
  });

  it('never leaks an unexpected error', () => {
    const [status, body] = filter.map(new Error('secret detail at /srv/app.ts:12'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});

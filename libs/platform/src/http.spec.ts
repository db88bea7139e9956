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
    expect(filter.map(new BadRequestException({ code: 'VALIDATION.FAILED', message: 'm' }))).toEqual([
      400,
      { code: 'VALIDATION.FAILED', message: 'm' },
    ]);
    expect(filter.map(new NotFoundException())).toEqual([404, { code: 'REQUEST.NOT_FOUND', message: 'Not Found' }]);
  });

  it('answers a lost or read-only database with 503, never 500, and a bug still with 500', () => {
    const unavailable = [
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      Object.assign(new Error('Query failed'), { driverError: { code: '08006', message: 'connection failure' } }),
    ];
    for (const error of unavailable)
      expect(filter.map(error)).toEqual([503, { code: 'SERVICE.DATABASE_UNAVAILABLE', message: expect.any(String) }]);
    expect(filter.map(Object.assign(new Error('duplicate key'), { code: '23505' }))[0]).toBe(500);
    expect(filter.map(Object.assign(new Error('syntax error'), { code: '42601' }))[0]).toBe(500);
  });

  it('never leaks an unexpected error', () => {
    const [status, body] = filter.map(new Error('secret detail at /srv/app.ts:12'));
    expect(status).toBe(500);
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});

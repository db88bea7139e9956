import { ExecutionContext, Injectable, UseGuards, applyDecorators } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { DomainError } from '@app/common';
import { ApiErrors, AuthenticatedUser } from '@app/platform';

export const ADDRESS_THROTTLER = 'address';
export const MONEY_THROTTLER = 'money';

export const rateLimited = (code: string, message: string, retryAfterSeconds: number) =>
  new DomainError('rate_limited', code, message, undefined, { retryAfterSeconds: Math.max(1, retryAfterSeconds) });

/**
 * @nestjs/throttler's guard for one named throttler (configured in IdentityModule, counted in PostgreSQL), answering
 * in the product's error shape with Retry-After. A throttler with limit 0 is off.
 */
abstract class NamedThrottleGuard extends ThrottlerGuard {
  protected abstract readonly throttlerName: string;
  protected abstract readonly code: string;
  protected abstract readonly message: string;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== this.throttlerName || request.limit <= 0) return true;
    return super.handleRequest(request);
  }

  /** One counter per tracker across every route the guard is on. */
  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context
      .switchToHttp()
      .getResponse()
      .setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    throw rateLimited(this.code, this.message, detail.timeToBlockExpire);
  }
}

/** Login and registration per client address. */
@Injectable()
export class AddressThrottleGuard extends NamedThrottleGuard {
  protected readonly throttlerName = ADDRESS_THROTTLER;
  protected readonly code = 'RATE.TOO_MANY_AUTH_REQUESTS';
  protected readonly message = 'too many login or registration requests from this address; retry later';
}

/** Money-moving routes per user (runs after authentication, so the user is known). */
@Injectable()
export class UserThrottleGuard extends NamedThrottleGuard {
  protected readonly throttlerName = MONEY_THROTTLER;
  protected readonly code = 'RATE.TOO_MANY_PAYMENTS';
  protected readonly message = 'too many payment requests from this account; retry later';

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return (request.user as AuthenticatedUser).id;
  }
}

/** A money-moving route: limited per user (MONEY_RATE_LIMIT). */
export const MoneyRoute = () =>
  applyDecorators(
    UseGuards(UserThrottleGuard),
    ApiErrors({ 429: ['RATE.TOO_MANY_PAYMENTS: too many payment requests from this account'] }),
  );

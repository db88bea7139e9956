import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import { DomainError } from '@app/common';

/** A 429 raised behind the guards (a locked account, a busy password hasher) tells the client when to retry. */
@Injectable()
export class RetryAfterInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        const seconds = error instanceof DomainError && error.kind === 'rate_limited' ? error.details?.retryAfterSeconds : undefined;
        if (typeof seconds === 'number') context.switchToHttp().getResponse().setHeader('Retry-After', String(seconds));
        return throwError(() => error);
      }),
    );
  }
}

/** Errors and validation at the HTTP edge: the error body, the validation pipe, the filter mapping errors to HTTP. */
import {
  ArgumentMetadata,
  ArgumentsHost,
  BadRequestException,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
  ValidationError,
  ValidationPipe,
  createParamDecorator,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { Channel, Clock, CommandContext, DomainError, ErrorKind } from '@app/common';
import { WrongExpectedRevisionError } from '@app/event-store';
import { DEFAULT_MAX_BODY_DEPTH, inspectValue } from './input-guard';
import { JsonLogger } from './logger';

/** The body of every error response. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly rule?: string;
  readonly details?: unknown;
}

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rule_violation: 422,
  rate_limited: 429,
};

const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'REQUEST.NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  409: 'REQUEST.CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  422: 'REQUEST.UNPROCESSABLE',
  429: 'REQUEST.RATE_LIMITED',
};

/** The body parser's own error types (`type` of its errors), each a client mistake with its stable code. */
const BODY_PARSER_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'REQUEST.MALFORMED_JSON', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'REQUEST.TOO_LARGE', 'the request body is too large'],
  'charset.unsupported': [415, 'REQUEST.UNSUPPORTED_CHARSET', 'the Content-Type charset is not supported; send UTF-8'],
  'encoding.unsupported': [
    415,
    'REQUEST.UNSUPPORTED_ENCODING',
    'the Content-Encoding is not supported; send identity, gzip, deflate or br',
  ],
  'request.aborted': [400, 'REQUEST.ABORTED', 'the request body ended early'],
  'request.size.invalid': [400, 'REQUEST.SIZE_MISMATCH', 'the request body does not match its Content-Length'],
  'parameters.too.many': [413, 'REQUEST.TOO_LARGE', 'the request body has too many parameters'],
};

const flatten = (errors: ValidationError[], prefix = ''): { field: string; problems: string[] }[] =>
  errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });

/**
 * The transformed input is checked once more: `@Type(() => Number)` turns a query's '1e30' into an integer no column
 * and no event can hold (and that `@IsInt()` accepts).
 */
class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const result = await super.transform(value, metadata);
    if (metadata.type === 'custom') return result;
    const problem = inspectValue(result, metadata.type, DEFAULT_MAX_BODY_DEPTH);
    if (problem) throw new BadRequestException(problem.body);
    return result;
  }
}

/** Validation errors carry the field and each problem; the filter turns them into a 400 with a stable code. */
export const validationPipe = () =>
  new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadRequestException({
        code: 'VALIDATION.FAILED',
        message: fields.map((field) => `${field.field}: ${field.problems.join('; ')}`).join(' | ') || 'invalid request body',
        details: { fields },
      });
    },
  });

/** PostgreSQL SQLSTATEs and socket errors that mean the database is (for now) unreachable or read-only, not a bug. */
const DATABASE_UNAVAILABLE_STATES = /^(08|57P0[123]$|25006$|53300$)/;
const DATABASE_UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const DATABASE_UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * A failure of the database connection (a primary that died or is being failed over, a full connection table), as
 * opposed to a bug: answered 503 with Retry-After, because the same request can succeed in a moment. A write whose
 * answer was lost this way may have been recorded; a retry with the same Idempotency-Key answers it without repeating it.
 */
export const isDatabaseUnavailable = (exception: unknown): boolean => {
  const error = exception as { code?: unknown; message?: unknown; driverError?: { code?: unknown; message?: unknown } };
  for (const candidate of [error, error?.driverError]) {
    if (!candidate) continue;
    if (
      typeof candidate.code === 'string' &&
      (DATABASE_UNAVAILABLE_STATES.test(candidate.code) || DATABASE_UNAVAILABLE_ERRNOS.has(candidate.code))
    )
      return true;
    if (typeof candidate.message === 'string' && DATABASE_UNAVAILABLE_MESSAGES.test(candidate.message)) return true;
  }
  return false;
};

/** One place maps failures to HTTP. Clients never see a stack trace; unexpected errors are logged and answered 500. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: JsonLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse();
    const request = host.switchToHttp().getRequest();
    const [status, body] = this.map(exception);
    if (status === 503) {
      this.logger.event('warn', 'http', {
        msg: 'database unavailable',
        method: request?.method,
        path: request?.url,
        error: exception instanceof Error ? exception.message : String(exception),
      });
      response.setHeader('Retry-After', '1');
    } else if (status >= 500) {
      this.logger.event('error', 'http', {
        msg: 'unhandled error',
        method: request?.method,
        path: request?.url,
        error: exception instanceof Error ? exception.message : String(exception),
        stack: exception instanceof Error ? exception.stack : undefined,
      });
    }
    response.status(status).json(body);
  }

  map(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      return [
        STATUS[exception.kind],
        {
          code: exception.code,
          message: exception.message,
          ...(exception.rule ? { rule: exception.rule } : {}),
          ...(exception.details ? { details: exception.details } : {}),
        },
      ];
    }
    if (exception instanceof WrongExpectedRevisionError) {
      return [409, { code: 'CONCURRENCY.CONFLICT', message: 'the resource was changed by a concurrent request; retry' }];
    }
    if (exception instanceof HttpException) {
      const cause = (exception as { cause?: { type?: string } }).cause ?? exception;
      if ((cause as { type?: string }).type === 'entity.parse.failed' || /JSON/.test(exception.message)) {
        return [400, { code: 'REQUEST.MALFORMED_JSON', message: 'the request body is not valid JSON' }];
      }
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'object' && payload !== null && 'code' in payload) return [status, payload as ErrorBody];
      const message = typeof payload === 'string' ? payload : ((payload as { message?: unknown }).message ?? exception.message);
      return [
        status,
        { code: HTTP_CODES[status] ?? `HTTP.${status}`, message: Array.isArray(message) ? message.join('; ') : String(message) },
      ];
    }
    const parserError = exception as { type?: unknown; status?: unknown; expose?: unknown };
    const known = typeof parserError?.type === 'string' ? BODY_PARSER_ERRORS[parserError.type] : undefined;
    if (known) return [known[0], { code: known[1], message: known[2] }];
    // Any other client error the body parser or its decompression raised (it marks those safe to show).
    if (parserError?.expose === true && typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
      return [
        parserError.status,
        { code: HTTP_CODES[parserError.status] ?? 'REQUEST.INVALID', message: 'the request body could not be read' },
      ];
    }
    if (isDatabaseUnavailable(exception)) {
      return [
        503,
        {
          code: 'SERVICE.DATABASE_UNAVAILABLE',
          message: 'the database is unavailable for a moment; retry (with the same Idempotency-Key for a write)',
        },
      ];
    }
    return [500, { code: 'INTERNAL', message: 'an unexpected error occurred; it has been logged' }];
  }
}

export interface AuthenticatedUser {
  readonly id: string;
  readonly roles: readonly string[];
  readonly email?: string;
}

const CHANNELS: readonly Channel[] = ['app', 'web', 'api', 'staff_console'];
const CORRELATION_ID = /^[\w.:-]{1,100}$/;

/** The request's correlation id: the caller's X-Correlation-Id when well-formed, else a new one; resolved once. */
export const correlationIdOf = (request: { headers: Record<string, unknown>; correlationId?: string }): string => {
  if (request.correlationId === undefined) {
    const header = request.headers['x-correlation-id'];
    request.correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
  }
  return request.correlationId;
};

/**
 * Builds the CommandContext of a request once authentication has run: actor, correlation id (see correlationIdOf),
 * Idempotency-Key, channel (X-Channel) and the clock's now. Handlers read it with @Ctx().
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest();
    const user = request.user as AuthenticatedUser | undefined;
    const correlationId = correlationIdOf(request);
    const channelHeader = request.headers['x-channel'];
    const channel = CHANNELS.includes(channelHeader) ? (channelHeader as Channel) : 'api';
    const idempotencyKey = request.headers['idempotency-key'];
    const commandContext: CommandContext = {
      actor: user ? { id: user.id, roles: user.roles } : { id: 'anonymous', roles: [] },
      correlationId,
      channel,
      now: this.clock.now(),
      ...(typeof idempotencyKey === 'string' && idempotencyKey ? { idempotencyKey } : {}),
    };
    request.commandContext = commandContext;
    return next.handle();
  }
}

/** The CommandContext of the current request. */
export const Ctx = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CommandContext => context.switchToHttp().getRequest().commandContext,
);

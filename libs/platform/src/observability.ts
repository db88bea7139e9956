/** Correlation ids, W3C trace context, access logs and latency metrics for every request. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { correlationIdOf } from './http';
import { JsonLogger } from './logger';
import { Metrics } from './metrics';

/** W3C Trace Context of a request: the caller's trace continued (or a new one), with this server's own span. */
export interface TraceContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** Parses a `traceparent` header as the W3C recommendation says; anything invalid starts a new trace. */
export const traceContextOf = (header: unknown): TraceContext => {
  const random = randomBytes(24).toString('hex');
  const spanId = random.slice(0, 16);
  const match = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null;
  if (match) {
    const [, version, traceId, parentSpanId, flags, rest] = match;
    const valid = version !== 'ff' && !(version === '00' && rest !== undefined) && !ZEROS.test(traceId) && !ZEROS.test(parentSpanId);
    if (valid) return { traceId, parentSpanId, spanId, flags };
  }
  return { traceId: random.slice(16), spanId, flags: '00' };
};

export const traceparentOf = (trace: TraceContext): string => `00-${trace.traceId}-${trace.spanId}-${trace.flags}`;

type Request = IncomingMessage & {
  trace?: TraceContext;
  route?: { path?: unknown };
  originalUrl?: string;
  user?: { id?: string };
  correlationId?: string;
};

/** The route template that served a request (`/catalog/listings/:listingId`); metrics and logs never carry raw URLs. */
const routeOf = (request: Request): string => (typeof request.route?.path === 'string' ? request.route.path : 'unmatched');

const pathOf = (request: Request): string => (request.originalUrl ?? request.url ?? '').split('?')[0];

/**
 * The first middleware of every request: resolves its correlation id and trace context and returns both as response
 * headers, writes one JSON access-log line when it ends (with the correlation id, the trace and the route template; no
 * headers, no query string, no body), and records its latency by route template.
 */
export const observability = (logger: JsonLogger, metrics: Metrics) => {
  const summary = (request: Request, response: ServerResponse, ms: unknown) => ({
    method: request.method,
    route: routeOf(request),
    path: pathOf(request),
    status: response.statusCode,
    ms,
    ...(request.user?.id ? { actor: request.user.id } : {}),
  });
  const accessLog = pinoHttp<Request>({
    logger: logger.pino,
    genReqId: (request) => correlationIdOf(request),
    customAttributeKeys: { reqId: 'correlationId', responseTime: 'ms' },
    quietReqLogger: true,
    quietResLogger: true,
    customProps: (request) => ({
      context: 'http',
      traceId: request.trace?.traceId,
      spanId: request.trace?.spanId,
      ...(request.trace?.parentSpanId ? { parentSpanId: request.trace.parentSpanId } : {}),
    }),
    // A health probe's 503 is its answer (not ready, draining for shutdown), not a failure of the request.
    customLogLevel: (request, response, error) =>
      error || (response.statusCode >= 500 && !pathOf(request).startsWith('/health')) ? 'error' : 'info',
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, value: { ms?: unknown }) => summary(request, response, value.ms),
    customErrorObject: (request, response, _error, value: { ms?: unknown }) => summary(request, response, value.ms),
  });

  return (request: Request, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    request.trace = traceContextOf(request.headers.traceparent);
    response.setHeader('X-Correlation-Id', correlationIdOf(request));
    response.setHeader('traceparent', traceparentOf(request.trace));
    response.once('finish', () => {
      const route = routeOf(request);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequestDuration.observe({ method: request.method ?? 'UNKNOWN', route, status: String(response.statusCode) }, seconds);
      if (response.statusCode === 429) metrics.throttledRequests.inc({ route });
    });
    accessLog(request, response, next);
  };
};

/** The HTTP edge's settings (body limit, CORS origins) and the Cache-Control of every response. */
import { ConfigError } from './config';

/** Settings of the HTTP edge, read from the environment and validated like the rest of the configuration. */
export interface HttpSettings {
  readonly bodyLimitBytes: number;
  /** Origins allowed to call the API from a browser; empty: no CORS headers at all. */
  readonly corsOrigins: readonly string[];
}

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export const loadHttpSettings = (env: Readonly<Record<string, string | undefined>>): HttpSettings => {
  const problems: string[] = [];
  const rawLimit = env.HTTP_BODY_LIMIT_KB;
  let bodyLimitKb = 256;
  if (rawLimit !== undefined && rawLimit !== '') {
    const value = Number(rawLimit);
    if (!Number.isInteger(value) || value < 1 || value > 10240)
      problems.push(`HTTP_BODY_LIMIT_KB=${JSON.stringify(rawLimit)}: expected an integer from 1 to 10240`);
    else bodyLimitKb = value;
  }
  const corsOrigins = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of corsOrigins) {
    if (!ORIGIN.test(origin))
      problems.push(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin like https://app.example.com (no path, no wildcard)`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { bodyLimitBytes: bodyLimitKb * 1024, corsOrigins };
};

/** Browsers may call from the configured origins only; tokens travel in the Authorization header, never in cookies. */
export const corsOptions = (origins: readonly string[]) => ({
  origin: [...origins],
  methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Correlation-Id', 'X-Channel', 'traceparent', 'X-Read-After'],
  exposedHeaders: ['X-Correlation-Id', 'traceparent', 'Retry-After', 'Idempotent-Replayed', 'Location', 'X-Read-After'],
  credentials: false,
  maxAge: 600,
});

/** Responses that carry nothing personal and are the same for every caller; caches may keep them for a while. */
export const PUBLIC_CACHEABLE_PATHS: readonly string[] = ['/docs-json', '/audit/verifier-key'];

/**
 * Tokens and personal data must not stay in browser or proxy caches: every response is `no-store` unless its route is
 * public and the same for everyone (or its handler says otherwise). The docs page's static assets set their own.
 */
export const cacheControl = (
  request: { path: string },
  response: { setHeader(name: string, value: string): unknown },
  next: () => void,
): void => {
  response.setHeader('Cache-Control', PUBLIC_CACHEABLE_PATHS.includes(request.path) ? 'public, max-age=300' : 'no-store');
  next();
};

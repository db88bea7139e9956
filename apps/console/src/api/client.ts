/**
 * The console's one way to the server: an openapi-fetch client typed by `schema.d.ts`, which `npm run api:client`
 * generates from docs/openapi.json (test/console/api-client.spec.ts fails when it is out of date). Paths, path and
 * query parameters and request bodies are checked against the document at compile time; where the document does not
 * yet type a response, the page names the shape it reads (`as<T>()`).
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** Every error the server sends: `{ code, message, rule? }` (docs/error-codes.md), plus the HTTP status. */
export interface ApiProblem {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly rule?: string;
  readonly details?: { violations?: { rule?: string; code: string; message: string }[]; [key: string]: unknown };
}

const TOKEN_KEY = 'console.token';
export const session = {
  get token(): string | null {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

const bearer: Middleware = {
  onRequest({ request }) {
    const token = session.token;
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(bearer);

export const problemOf = (status: number, body: unknown): ApiProblem => {
  const error = (body ?? {}) as Partial<ApiProblem>;
  return {
    status,
    code: typeof error.code === 'string' ? error.code : `HTTP.${status}`,
    message: typeof error.message === 'string' ? error.message : 'the server answered without an error body',
    rule: typeof error.rule === 'string' ? error.rule : undefined,
    details: error.details,
  };
};

export class ProblemError extends Error {
  constructor(readonly problem: ApiProblem) {
    super(`${problem.code}: ${problem.message}`);
  }
}

/** Unwraps an openapi-fetch answer: the data as the page reads it, or a ProblemError carrying the server's error. */
export const as = async <T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> => {
  let answer;
  try {
    answer = await call;
  } catch (error) {
    throw new ProblemError({ status: 0, code: 'NETWORK.UNREACHABLE', message: String(error) });
  }
  if (!answer.response.ok) throw new ProblemError(problemOf(answer.response.status, answer.error));
  // 204 No Content answers null (not undefined, which `useAction` reads as a refusal).
  return (answer.data ?? null) as T;
};

export const idempotencyKey = () => crypto.randomUUID();

/** SHA-256 of the text as UTF-8, hex: what the server hashes for a document or contract the investor confirms. */
export const sha256Hex = async (text: string): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
};

/** The kinds of document the server serves by kind and version (from the document). */
export type DocumentKind = paths['/advisory/documents/{kind}/{version}']['get']['parameters']['path']['kind'];

/** Middleware refusing input that no route can use and PostgreSQL cannot store. */
import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from './http';

/**
 * Refuses, before any guard, pipe or handler sees it, input that no route can use and PostgreSQL cannot store: text with
 * NUL or unpaired UTF-16 surrogates (in the path, the query, body keys and values), bodies nested deeper than any
 * request schema, numbers JSON can carry but the domain cannot (non-finite, or integers beyond ±2^53−1), and paths
 * whose percent-encoding is not UTF-8. Each answers 400 in the error shape of every other refusal.
 */
export interface InputGuardOptions {
  /** Deepest nesting of objects and arrays a body may have; the deepest request schema needs a handful. */
  readonly maxDepth: number;
}

export const DEFAULT_MAX_BODY_DEPTH = 32;

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string): boolean => !UNSTORABLE.test(text);

export type InputProblem = { readonly status: 400; readonly body: ErrorBody };

const problem = (code: string, message: string): InputProblem => ({ status: 400, body: { code, message } });

/**
 * Walks a parsed value without recursion (a body may be nested far deeper than the call stack), stopping at the first
 * problem. `where` names the part of the request in the message; field paths are given so a client can find the value.
 */
export const inspectValue = (value: unknown, where: string, maxDepth: number): InputProblem | undefined => {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: where, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof current === 'string') {
      if (!isStorableText(current))
        return problem('REQUEST.INVALID_TEXT', `${path}: text must not contain NUL characters or unpaired surrogates`);
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current) || (Number.isInteger(current) && !Number.isSafeInteger(current))) {
        return problem('REQUEST.NUMBER_OUT_OF_RANGE', `${path}: numbers must be finite and integers within ±${Number.MAX_SAFE_INTEGER}`);
      }
    } else if (typeof current === 'object' && current !== null) {
      if (depth >= maxDepth) return problem('REQUEST.TOO_DEEP', `${where}: nested deeper than ${maxDepth} levels`);
      for (const [key, child] of Object.entries(current)) {
        if (!isStorableText(key))
          return problem('REQUEST.INVALID_TEXT', `${path}: field names must not contain NUL characters or unpaired surrogates`);
        stack.push({ value: child, path: `${path}.${key.slice(0, 50)}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
};

const inspectPath = (rawPath: string): InputProblem | undefined => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return problem('REQUEST.MALFORMED_URL', 'the path is not valid percent-encoded UTF-8');
  }
  return isStorableText(decoded)
    ? undefined
    : problem('REQUEST.INVALID_TEXT', 'path: text must not contain NUL characters or unpaired surrogates');
};

/** Express middleware; mounted after the body parsers so that it sees the parsed body. */
export const inputGuard =
  ({ maxDepth }: InputGuardOptions) =>
  (request: Request, response: Response, next: NextFunction): void => {
    const found =
      inspectPath(request.path) ??
      inspectValue(request.query, 'query', maxDepth) ??
      (request.body === undefined ? undefined : inspectValue(request.body, 'body', maxDepth));
    if (!found) return next();
    response.status(found.status).json(found.body);
  };

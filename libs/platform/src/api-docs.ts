/**
 * OpenAPI conventions shared by every controller: the error body's schema and `@ApiErrors(...)`, which documents the
 * refusals a route can answer. Authentication (401), roles (403) and public routes are documented from the guards' own
 * metadata when the document is built (`describeAccess` in @app/identity), so controllers never repeat them.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error answer (see ErrorBody in http.ts). */
export class ErrorResponse {
  @ApiProperty({ example: 'SUITABILITY.ABOVE_LEVEL', description: 'stable error code (docs/error-codes.md)' }) code: string;
  @ApiProperty({ example: 'the product is above your risk tolerance' }) message: string;
  @ApiPropertyOptional({ example: 'A4', description: 'the rulebook rule that refused the request' }) rule?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'more about the refusal: the invalid fields, every rule that refused, retryAfterSeconds',
  })
  details?: Record<string, unknown>;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/**
 * Per status, what a route can refuse with: each entry starts with the code and, where a rule refuses, names the rule in
 * parentheses, then says when (`'SUITABILITY.ABOVE_LEVEL (A4): the product is above the investor\'s level'`).
 */
export type ErrorCodes = Partial<Record<ErrorStatus, readonly string[]>>;

const STATUS_TEXT: Record<ErrorStatus, string> = {
  400: 'The request is malformed or invalid.',
  401: 'No valid bearer token, or its session has ended.',
  403: 'The caller may not do this.',
  404: 'Not found.',
  409: 'Conflicts with the current state; see the code.',
  410: 'Gone.',
  413: 'The request body is too large.',
  415: 'Unsupported media type.',
  422: 'Refused by a rule of the rulebook (`rule` names it), or an Idempotency-Key reused with another body.',
  429: 'Too many requests; `Retry-After` says when to retry.',
  503: 'Unavailable for a moment; `Retry-After` says when to retry.',
};

const LIST_START = '\n\n- ';

/**
 * The description of an error response: what it says already (else the status in words), then one line per code,
 * keeping the lines already there.
 */
export const withCodes = (status: ErrorStatus, description: string | undefined, codes: readonly string[]): string => {
  const start = description?.indexOf(LIST_START) ?? -1;
  const head = (start >= 0 ? description?.slice(0, start) : description) || STATUS_TEXT[status];
  const known = description && start >= 0 ? description.slice(start + LIST_START.length).split('\n- ') : [];
  const lines = [...known, ...codes.filter((code) => !known.includes(code))];
  return lines.length > 0 ? `${head}${LIST_START}${lines.join('\n- ')}` : head;
};

const ERRORS = 'api-docs:errors';

/**
 * Documents the refusals of a route (or of every route of a controller) as `ErrorResponse`s, one response per status:
 * `@ApiErrors({ 404: ['CATALOG.LISTING_NOT_FOUND'], 422: ['LISTING.NOT_DRAFT (L1): only a draft is submitted'] })`.
 * Several `@ApiErrors` on one route, and those of its controller, add up. 400 for invalid input, 401, 403
 * `AUTH.ROLE_REQUIRED` and public routes' security are added when the document is built (`completeDocument`).
 */
export const ApiErrors = (errors: ErrorCodes): MethodDecorator & ClassDecorator =>
  ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const holder = descriptor ? (descriptor.value as object) : target;
    const existing = (Reflect.getMetadata(ERRORS, holder) ?? {}) as ErrorCodes;
    const merged: Record<number, readonly string[] | undefined> = { ...existing };
    for (const [status, codes] of Object.entries(errors)) merged[Number(status)] = [...(merged[Number(status)] ?? []), ...(codes ?? [])];
    Reflect.defineMetadata(ERRORS, merged, holder);
  }) as MethodDecorator & ClassDecorator;

/** Who may call a route, as its guards decide it (supplied by the identity context, which owns the guards). */
export interface RouteAccess {
  readonly public: boolean;
  /** One of these roles is needed (none: any signed-in user). */
  readonly roles?: readonly string[];
}

type Operation = {
  operationId?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: unknown }>;
  security?: Record<string, string[]>[];
};
type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, unknown> } };
type Controller = abstract new (...args: never[]) => unknown;

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } };

const addErrors = (operation: Operation, status: ErrorStatus, codes: readonly string[]) => {
  const existing = operation.responses[status];
  operation.responses[status] = {
    ...existing,
    description: withCodes(status, existing?.description, codes),
    content: existing?.content ?? ERROR_CONTENT,
  };
};

/** What any route can answer before its handler runs: the input checks of the validation pipe and the input guard. */
const INPUT_CODES = ['VALIDATION.FAILED: a parameter or the body failed validation (`details` lists the fields)'];
const BODY_CODES = [
  'REQUEST.MALFORMED_JSON: the body is not valid JSON',
  'REQUEST.INVALID_TEXT: text with NUL or unpaired surrogates',
  'REQUEST.TOO_DEEP: the body nests deeper than 32 levels',
  'REQUEST.NUMBER_OUT_OF_RANGE: a number beyond ±2^53−1',
];
const AUTH_CODES = [
  'AUTH.UNAUTHENTICATED: no valid bearer token',
  "AUTH.SESSION_ENDED: the token's session has ended (logout, password change, an admin); log in again",
  'AUTH.USER_DISABLED: the account is disabled',
];

/**
 * Completes the document built from the controllers with what their guards and pipes decide, so no controller repeats
 * it: per route, `security: []` when it is public, else the bearer scheme and 401; 403 `AUTH.ROLE_REQUIRED` where roles
 * are required; 400 for input; the controller-level `@ApiErrors`. Routes are found by their default operationId
 * (`<Controller>_<method>`).
 */
export const completeDocument = <D extends object>(
  document: D,
  controllers: readonly Controller[],
  access: (handler: object, controller: Controller) => RouteAccess,
): D => {
  const doc = document as unknown as Document;
  if (!doc.components?.schemas?.ErrorResponse) throw new Error('completeDocument: build the document with extraModels: [ErrorResponse]');
  const byId = new Map<string, Operation>();
  for (const operations of Object.values(doc.paths))
    for (const operation of Object.values(operations)) if (operation.operationId) byId.set(operation.operationId, operation);
  for (const controller of controllers) {
    const classErrors = (Reflect.getMetadata(ERRORS, controller) ?? {}) as ErrorCodes;
    for (const key of Object.getOwnPropertyNames(controller.prototype)) {
      const operation = byId.get(`${controller.name}_${key}`);
      if (!operation) continue;
      const handler = (controller.prototype as Record<string, object>)[key];
      const routeErrors = (Reflect.getMetadata(ERRORS, handler) ?? {}) as ErrorCodes;
      for (const errors of [routeErrors, classErrors])
        for (const [status, codes] of Object.entries(errors)) addErrors(operation, Number(status) as ErrorStatus, codes ?? []);
      if ((operation.parameters?.length ?? 0) > 0 || operation.requestBody) addErrors(operation, 400, INPUT_CODES);
      if (operation.requestBody) addErrors(operation, 400, BODY_CODES);
      const { public: isPublic, roles } = access(handler, controller);
      if (isPublic) {
        operation.security = [];
        continue;
      }
      operation.security = [{ bearer: [] }];
      addErrors(operation, 401, AUTH_CODES);
      if (roles && roles.length > 0) addErrors(operation, 403, [`AUTH.ROLE_REQUIRED: needs the role ${roles.join(' or ')}`]);
    }
  }
  return document;
};

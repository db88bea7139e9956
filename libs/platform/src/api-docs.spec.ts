import 'reflect-metadata';
import { ApiErrors, RouteAccess, completeDocument, withCodes } from './api-docs';

const PUBLIC = 'test:public';
const ROLES = 'test:roles';
const Public = (): MethodDecorator => (_target, _key, descriptor) => Reflect.defineMetadata(PUBLIC, true, descriptor.value as object);
const Roles =
  (...roles: string[]): MethodDecorator =>
  (_target, _key, descriptor) =>
    Reflect.defineMetadata(ROLES, roles, descriptor.value as object);
const access = (handler: object): RouteAccess => ({
  public: Reflect.getMetadata(PUBLIC, handler) === true,
  roles: Reflect.getMetadata(ROLES, handler) as string[] | undefined,
});

@ApiErrors({ 429: ['X.RATE_LIMITED: too many'] })
class ThingsController {
  @Public()
  @ApiErrors({ 404: ['THING.NOT_FOUND: no such thing'] })
  get() {}

  @Roles('admin', 'compliance_officer')
  @ApiErrors({ 403: ['THING.NOT_YOURS (A5): only the owner'] })
  @ApiErrors({ 422: ['THING.FROZEN (L1): frozen'], 403: ['THING.LOCKED: locked'] })
  change() {}
}

const operation = (operationId: string, extra: object = {}) => ({ operationId, responses: { '200': { description: 'ok' } }, ...extra });
const documentOf = () => ({
  paths: {
    '/things/{id}': {
      get: operation('ThingsController_get', { parameters: [{ name: 'id', in: 'path' }] }),
      put: operation('ThingsController_change', { requestBody: {} }),
    },
    '/other': { get: operation('OtherController_get') },
  },
  components: { schemas: { ErrorResponse: {} } },
});

describe('completeDocument: what the guards and pipes decide, in the OpenAPI document', () => {
  const done = completeDocument(documentOf(), [ThingsController], access);
  const [get, change] = [done.paths['/things/{id}'].get, done.paths['/things/{id}'].put] as unknown as {
    security: unknown[];
    responses: Record<string, { description: string; content?: unknown }>;
  }[];

  it('marks a public route public and documents no 401 on it', () => {
    expect(get.security).toEqual([]);
    expect(get.responses['401']).toBeUndefined();
  });

  it('puts every other route behind the bearer scheme with a 401, and names the roles in a 403', () => {
    expect(change.security).toEqual([{ bearer: [] }]);
    expect(change.responses['401'].description).toContain('AUTH.UNAUTHENTICATED');
    expect(change.responses['403'].description).toContain('AUTH.ROLE_REQUIRED: needs the role admin or compliance_officer');
  });

  it("adds up a route's @ApiErrors and its controller's, one line per code, each with the ErrorResponse schema", () => {
    expect(change.responses['403'].description.split('\n- ').slice(1)).toEqual([
      'THING.LOCKED: locked',
      'THING.NOT_YOURS (A5): only the owner',
      'AUTH.ROLE_REQUIRED: needs the role admin or compliance_officer',
    ]);
    expect(change.responses['422'].description).toContain('THING.FROZEN (L1): frozen');
    expect(get.responses['404'].description).toContain('THING.NOT_FOUND');
    for (const route of [get, change])
      expect(route.responses['429'].content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } });
  });

  it('documents 400 for input where a route takes parameters or a body, and the body codes only with a body', () => {
    expect(get.responses['400'].description).toContain('VALIDATION.FAILED');
    expect(get.responses['400'].description).not.toContain('REQUEST.MALFORMED_JSON');
    expect(change.responses['400'].description).toContain('REQUEST.MALFORMED_JSON');
  });

  it('leaves routes of other controllers alone', () => {
    expect(done.paths['/other'].get).toEqual(operation('OtherController_get'));
  });

  it('refuses a document built without the ErrorResponse schema', () => {
    expect(() => completeDocument({ paths: {}, components: { schemas: {} } }, [], access)).toThrow(/extraModels/);
  });

  it('keeps a description written by hand and appends the codes to it', () => {
    expect(withCodes(429, 'slow down', ['RATE.X'])).toBe('slow down\n\n- RATE.X');
    expect(withCodes(429, 'slow down\n\n- RATE.X', ['RATE.X', 'RATE.Y'])).toBe('slow down\n\n- RATE.X\n- RATE.Y');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auth, level2Listing, publishListing, registerStaff } from './marketplace/fixtures';
import { key, paymentsSettled } from './marketplace/support';
import { createTestApp, TestApp } from './support/app';

type Operation = {
  requestBody?: unknown;
  operationId?: string;
  summary?: string;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
type Schema = {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  allOf?: Schema[];
};

/** Where a JSON value departs from a schema of the document: missing required fields, wrong types, values outside an enum. */
const departures = (document: { components: { schemas: Record<string, Schema> } }, schema: Schema, value: unknown, at = '$'): string[] => {
  if (value === null && schema.nullable) return [];
  if (schema.$ref) return departures(document, document.components.schemas[schema.$ref.split('/').pop() as string], value, at);
  if (schema.allOf) return schema.allOf.flatMap((part) => departures(document, part, value, at));
  if (value === null) return [`${at}: null`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) => departures(document, schema.items ?? {}, item, `${at}[${index}]`))
        : [`${at}: not an array`];
    case 'object':
    case undefined: {
      if (!schema.properties)
        return schema.type === 'object' && (typeof value !== 'object' || Array.isArray(value)) ? [`${at}: not an object`] : [];
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const missing = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: missing`);
      return [
        ...missing,
        ...Object.entries(schema.properties).flatMap(([name, property]) =>
          name in record && record[name] !== undefined ? departures(document, property, record[name], `${at}.${name}`) : [],
        ),
      ];
    }
    case 'integer':
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    default:
      return typeof value === schema.type ? [] : [`${at}: ${JSON.stringify(value)} is not a ${schema.type}`];
  }
};

const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );

/**
 * docs/openapi.json (what the console's typed client is generated from, and what `npm run lint:openapi` lints) is the
 * document the server serves: `npm run openapi` rewrites it after a change to a controller or a DTO.
 */
describe('the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let served: Document;
  beforeAll(async () => {
    t = await createTestApp();
    served = (await t.http.get('/docs-json').expect(200)).body as Document;
  });
  afterAll(async () => t.close());

  it('is the one committed in docs/openapi.json (else run `npm run openapi`)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8')) as Document;
    const text = (document: Document) => new Map(operations(document).map(({ route, operation }) => [route, JSON.stringify(operation)]));
    const [mine, theirs] = [text(served), text(committed)];
    const differing = [...new Set([...mine.keys(), ...theirs.keys()])].filter((route) => mine.get(route) !== theirs.get(route));
    expect(differing).toEqual([]);
    expect(served).toEqual(committed);
  });

  it('documents every 4xx as an ErrorResponse, and every guarded route with 401 and the bearer scheme', () => {
    for (const { route, operation } of operations(served)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith('4'))
          expect([route, status, response.content?.['application/json']?.schema?.$ref]).toEqual([
            route,
            status,
            '#/components/schemas/ErrorResponse',
          ]);
      }
      const isPublic = operation.security?.length === 0;
      expect([route, isPublic || '401' in operation.responses]).toEqual([route, true]);
    }
  });

  it('marks the public routes public and keeps the others behind a token', async () => {
    const byId = new Map(operations(served).map(({ route, operation }) => [operation.operationId, { route, operation }]));
    expect(byId.get('AuthController_login')?.operation.security).toEqual([]);
    expect(byId.get('PublicLogController_checkpoint')?.operation.security).toEqual([]);
    expect(byId.get('AuthController_me')?.operation.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(byId.get('AuthController_list')?.operation.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    // What the document says is what the guards do.
    await t.http.get('/me').expect(401);
    await t.http.get('/log/key').expect(200);
  });

  it('describes what the routes answer: real answers conform to the documented response schemas', async () => {
    const found: string[] = [];
    const check = (method: string, template: string, response: { status: number; body: unknown }) => {
      const documented = served.paths[template]?.[method]?.responses[String(response.status)];
      const schema = documented?.content?.['application/json']?.schema as Schema | undefined;
      if (!schema) return found.push(`${method.toUpperCase()} ${template} ${response.status}: not documented with a JSON schema`);
      for (const departure of departures(served, schema, response.body))
        found.push(`${method.toUpperCase()} ${template} ${response.status} ${departure}`);
    };
    const get = async (token: string | undefined, url: string, template = url) => {
      const call = t.http.get(url);
      const response = await (token ? call.set(auth(token)) : call);
      check('get', template, response);
      return response;
    };
    const staff = await registerStaff(t);
    const investor = await t.register();
    const listingId = await publishListing(t, staff, level2Listing());
    const drafted = await t.http
      .post('/catalog/listings')
      .set(auth(staff.pm.token))
      .send(level2Listing({ title: 'Another' }))
      .expect(201);
    check('post', '/catalog/listings', drafted);
    check(
      'post',
      '/catalog/listings/{listingId}/submit',
      await t.http.post(`/catalog/listings/${drafted.body.listingId}/submit`).set(auth(staff.pm.token)).expect(200),
    );
    const subscribed = await t.http
      .post('/subscriptions')
      .set(auth(investor.token))
      .set('Idempotency-Key', key())
      .send({ listingId, planId: 'monthly' })
      .expect(201);
    check('post', '/subscriptions', subscribed);
    await paymentsSettled(t);
    await t.catchUp();
    for (const url of [
      '/health',
      '/health/live',
      '/health/ready',
      '/log/key',
      '/audit/verifier-key',
      '/advisory/documents',
      '/advisory/questionnaire',
      '/catalog/listings',
    ])
      await get(undefined, url);
    await get(undefined, `/catalog/listings/${listingId}`, '/catalog/listings/{listingId}');
    for (const url of [
      '/me',
      '/auth/ping',
      '/me/entitlements',
      '/me/subscriptions',
      '/me/payments',
      '/me/timeline',
      '/advisory/assessments',
      '/advisory/products',
      '/advisory/notifications',
      '/advisory/engagements',
    ]) {
      await get(investor.token, url);
    }
    const payments = await get(investor.token, '/me/payments');
    const paymentId = (payments.body as { paymentId: string }[])[0]?.paymentId;
    if (paymentId) await get(investor.token, `/payments/${paymentId}`, '/payments/{paymentId}');
    await get(t.adminToken, '/admin/users');
    await get(staff.pm.token, '/catalog/manage/listings');
    await get(staff.pm.token, `/catalog/manage/listings/${listingId}`, '/catalog/manage/listings/{listingId}');
    const reason = 'checking the API description';
    check('get', '/audit/events', await t.http.get('/audit/events').query({ reason, limit: 5 }).set(auth(staff.compliance.token)));
    check(
      'get',
      '/audit/investors/{investorId}/timeline',
      await t.http.get(`/audit/investors/${investor.userId}/timeline`).query({ reason }).set(auth(staff.compliance.token)),
    );
    check('post', '/audit/checkpoints', await t.http.post('/audit/checkpoints').set(auth(staff.compliance.token)));
    await get(staff.compliance.token, '/audit/checkpoints/latest');
    await get(staff.compliance.token, '/audit/checkpoints');
    check('post', '/audit/verifications', await t.http.post('/audit/verifications').set(auth(staff.compliance.token)).send({ reason }));
    await get(staff.compliance.token, '/audit/verifications');
    await get(staff.compliance.token, '/staff/advisory/return-visits');
    await get(
      staff.compliance.token,
      `/value-added/investors/${investor.userId}/entitlements`,
      '/value-added/investors/{investorId}/entitlements',
    );
    expect(found).toEqual([]);
  });
});

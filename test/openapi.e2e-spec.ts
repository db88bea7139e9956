import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestApp, TestApp } from './support/app';

type Operation = { operationId?: string; summary?: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

const operations = (document: Document) => Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })));

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
        if (status.startsWith('4')) expect([route, status, response.content?.['application/json']?.schema?.$ref]).toEqual([route, status, '#/components/schemas/ErrorResponse']);
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
});

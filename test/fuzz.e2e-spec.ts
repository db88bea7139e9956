import fc from 'fast-check';
import { ROLES } from '@app/identity';
import { createTestApp, TestApp } from './support/app';
import { Endpoint, FuzzRequest, OpenApiDocument, SchemaArbitraries, endpointsOf } from './support/fuzz';

/**
 * Schema-driven fuzzing of every route in the OpenAPI document the application serves: generated and mutated bodies for
 * POST/PUT/PATCH, generated and hostile query and path parameters for all; signed in as a user holding every role so
 * that requests reach the handlers. No answer may be a 5xx. `FUZZ_RUNS` (requests in all, spread over the routes) and
 * `FUZZ_SEED` choose the run; `npm run fuzz -- --runs N` runs more. A failure prints the seed, the route and the request.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 700);
const SEED = Number(process.env.FUZZ_SEED ?? 20261202);

describe('schema-driven fuzzing over the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let token: string;
  let endpoints: Endpoint[];
  let arbitraries: SchemaArbitraries;

  beforeAll(async () => {
    t = await createTestApp({ PAYMENTS_SANDBOX_MAX_DELAY_MS: '1' });
    const user = await t.register();
    for (const role of ROLES.filter((role) => role !== 'investor')) {
      await t.http.post(`/admin/users/${user.userId}/roles`).set('Authorization', `Bearer ${t.adminToken}`).send({ role }).expect(204);
    }
    token = (await t.http.post('/auth/login').send({ email: user.email, password: 'a-long-enough-password' }).expect(200)).body.accessToken;
    const document = (await t.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    endpoints = endpointsOf(document);
    arbitraries = new SchemaArbitraries(document);
  });
  afterAll(async () => t.close());

  const send = (request: FuzzRequest) => {
    let call = t.http[request.method](request.url).set('Authorization', `Bearer ${token}`);
    if (request.idempotencyKey !== undefined) call = call.set('Idempotency-Key', request.idempotencyKey);
    if (!request.body) return call;
    const raw = 'raw' in request.body ? request.body.raw : JSON.stringify(request.body.json);
    return call.set('Content-Type', 'application/json').send(raw);
  };

  it('covers every documented route', () => {
    expect(endpoints.length).toBeGreaterThan(50);
    expect(endpoints.filter((endpoint) => endpoint.body).length).toBeGreaterThan(20);
  });

  it(
    `answers no request with a 5xx (${RUNS} requests, seed ${SEED})`,
    async () => {
      const perEndpoint = Math.max(2, Math.ceil(RUNS / endpoints.length));
      const failures: string[] = [];
      for (const [index, endpoint] of endpoints.entries()) {
        const seed = SEED + index;
        const outcome = await fc.check(
          fc.asyncProperty(arbitraries.request(endpoint), async (request) => {
            const response = await send(request);
            if (response.status >= 500) throw new Error(`${response.status} ${JSON.stringify(response.body)}`);
          }),
          { seed, numRuns: perEndpoint, endOnFailure: true },
        );
        if (outcome.failed) {
          failures.push(`${endpoint.method.toUpperCase()} ${endpoint.path} (seed ${seed}): ${String(outcome.errorInstance)} for ${JSON.stringify(outcome.counterexample?.[0]).slice(0, 500)}`);
        }
      }
      expect(failures).toEqual([]);
    },
    Math.max(60_000, RUNS * 200),
  );
});

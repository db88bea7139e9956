import fc from 'fast-check';
import { ROLES } from '@app/identity';
import { auth, advisoryListing, level2Listing, publishListing, registerStaff } from './marketplace/fixtures';
import { subscribe } from './marketplace/support';
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
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

describe('schema-driven fuzzing over the OpenAPI document (e2e)', () => {
  let t: TestApp;
  let token: string;
  let endpoints: Endpoint[];
  let arbitraries: SchemaArbitraries;
  const knownIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ PAYMENTS_SANDBOX_MAX_DELAY_MS: '1' });
    const user = await t.register();
    for (const role of ROLES.filter((role) => role !== 'investor')) {
      await t.http.post(`/admin/users/${user.userId}/roles`).set('Authorization', `Bearer ${t.adminToken}`).send({ role }).expect(204);
    }
    token = (await t.http.post('/auth/login').send({ email: user.email, password: 'a-long-enough-password' }).expect(200)).body.accessToken;
    const document = (await t.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    endpoints = endpointsOf(document);
    // A few real things for path parameters to name: published listings, a draft of this user's, a subscription.
    const staff = await registerStaff(t);
    const level2 = await publishListing(t, staff, level2Listing());
    const advisory = await publishListing(t, staff, advisoryListing());
    const draft = await t.http
      .post('/catalog/listings')
      .set(auth(token))
      .send(level2Listing({ title: 'Draft of the fuzzing user' }))
      .expect(201);
    const subscription = await subscribe(t, token, { listingId: level2, planId: 'monthly' }).expect(201);
    knownIds.push(user.userId, level2, advisory, draft.body.listingId, ...(JSON.stringify(subscription.body).match(UUID) ?? []));
    arbitraries = new SchemaArbitraries(document, knownIds);
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
            if (response.status < 300 && knownIds.length < 500) {
              for (const [id] of JSON.stringify(response.body ?? null).matchAll(UUID)) if (!knownIds.includes(id)) knownIds.push(id);
            }
          }),
          { seed, numRuns: perEndpoint, endOnFailure: true },
        );
        if (outcome.failed) {
          failures.push(
            `${endpoint.method.toUpperCase()} ${endpoint.path} (seed ${seed}): ${String(outcome.errorInstance)} for ${JSON.stringify(outcome.counterexample?.[0]).slice(0, 500)}`,
          );
        }
      }
      expect(failures).toEqual([]);
    },
    Math.max(60_000, RUNS * 200),
  );
});

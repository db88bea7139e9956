import { JsonLogger, Metrics } from '@app/platform';
import { createTestApp, TestApp, ADMIN } from './support/app';

/** The operations pack as an operator and a browser see it: headers, access logs, metrics, the docs page. */
describe('security headers, caching and CORS (e2e)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = (await t.register()).token;
  });
  afterAll(async () => t.close());

  it("sends helmet's headers on every response", async () => {
    const response = await t.http.get('/health').expect(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('marks tokens and personal data no-store: login, registration, /me, and refusals', async () => {
    const login = await t.http.post('/auth/login').send(ADMIN).expect(200);
    expect(login.headers['cache-control']).toBe('no-store');
    const me = await t.http.get('/me').set('Authorization', `Bearer ${token}`).expect(200);
    expect(me.headers['cache-control']).toBe('no-store');
    const refused = await t.http.get('/me').expect(401);
    expect(refused.headers['cache-control']).toBe('no-store');
    const entitlements = await t.http.get('/me/entitlements').set('Authorization', `Bearer ${token}`).expect(200);
    expect(entitlements.headers['cache-control']).toBe('no-store');
  });

  it('lets caches keep only public documents that are the same for everyone', async () => {
    expect((await t.http.get('/docs-json').expect(200)).headers['cache-control']).toBe('public, max-age=300');
    expect((await t.http.get('/audit/verifier-key').expect(200)).headers['cache-control']).toBe('public, max-age=300');
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const response = await t.http.get('/health').set('Origin', 'https://evil.example');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options('/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves the docs page with assets its content security policy allows', async () => {
    const page = await t.http.get('/docs').redirects(1).expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const policy = page.headers['content-security-policy'] as string;
    expect(policy).toContain("script-src 'self'");
    // script-src 'self' blocks inline scripts: every script must be a file of this origin.
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) expect(attributes).toMatch(/src=/);
    const assets = [...page.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)]
      .map((match) => match[1])
      .filter((url) => !url.startsWith('data:'));
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const url = new URL(asset, 'http://localhost/docs').pathname;
      const response = await t.http.get(url);
      expect({ asset, status: response.status }).toEqual({ asset, status: 200 });
    }
    const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('/auth/register');
  });
});

describe('CORS with an allow-list (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });
  });
  afterAll(async () => t.close());

  it('answers a preflight from an allowed origin and names the headers a client may send and read', async () => {
    const preflight = await t.http
      .options('/auth/login')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type, idempotency-key')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(preflight.headers['access-control-allow-headers']).toContain('Idempotency-Key');
    const response = await t.http.get('/health').set('Origin', 'http://localhost:5173').expect(200);
    expect(response.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(response.headers['access-control-expose-headers']).toContain('X-Correlation-Id');
  });

  it('gives any other origin no CORS headers', async () => {
    const response = await t.http.get('/health').set('Origin', 'https://evil.example').expect(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('access logs and metrics (e2e)', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const logger = new JsonLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    t = await createTestApp({}, logger);
  });
  afterAll(async () => t.close());

  const accessLines = () => lines.filter((line) => line.context === 'http' && line.msg === 'request completed');

  it('writes one JSON access line per request with the correlation id and the trace, and no secret', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await t.http
      .post('/auth/login')
      .set('X-Correlation-Id', 'corr-login-1')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .set('Authorization', 'Bearer not-a-real-token-but-secret')
      .send({ email: ADMIN.email, password: ADMIN.password })
      .expect(200);
    expect(response.headers['x-correlation-id']).toBe('corr-login-1');
    const traceparent = response.headers['traceparent'] as string;
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(traceparent).not.toContain('00f067aa0ba902b7');
    const line = accessLines().find((entry) => entry.correlationId === 'corr-login-1');
    expect(line).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/auth/login',
      path: '/auth/login',
      status: 200,
      traceId,
      parentSpanId: '00f067aa0ba902b7',
      spanId: traceparent.split('-')[2],
    });
    expect(typeof line?.time).toBe('string');
    expect(line?.req).toBeUndefined();
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(ADMIN.password);
    expect(everything).not.toContain('not-a-real-token-but-secret');
    expect(everything).not.toContain(response.body.accessToken);
  });

  it('starts a trace when none (or a malformed one) comes in, and logs by route template', async () => {
    const response = await t.http
      .get('/catalog/listings/0000')
      .set('traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01')
      .expect(401);
    expect(response.headers['traceparent']).toMatch(/^00-(?!0{32})[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    const correlationId = response.headers['x-correlation-id'];
    const line = accessLines().find((entry) => entry.correlationId === correlationId);
    expect(line).toMatchObject({ route: '/catalog/listings/:listingId', status: 401 });
    expect(line?.parentSpanId).toBeUndefined();
  });

  it('redacts secrets and personal data in any log line', () => {
    const captured: string[] = [];
    const logger = new JsonLogger('info', { write: (line: string) => void captured.push(line) });
    logger.event('info', 'test', {
      msg: 'opened',
      password: 'p@ss',
      body: { nationalId: '110101199003074214', accessToken: 'tok' },
      headers: { authorization: 'Bearer x' },
    });
    expect(captured.join('')).not.toMatch(/p@ss|110101199003074214|tok"|Bearer x/);
    expect(JSON.parse(captured[0])).toMatchObject({ level: 'info', context: 'test', msg: 'opened', password: '[redacted]' });
  });

  it("keeps Nest's route mapping at debug", () => {
    expect(lines.filter((line) => line.context === 'RouterExplorer' || line.context === 'RoutesResolver')).toEqual([]);
    const debugLines: Record<string, unknown>[] = [];
    new JsonLogger('debug', { write: (line: string) => void debugLines.push(JSON.parse(line)) }).log(
      'Mapped {/me, GET} route',
      'RouterExplorer',
    );
    expect(debugLines).toEqual([expect.objectContaining({ level: 'debug', context: 'RouterExplorer' })]);
  });

  it('exposes Prometheus series at /metrics after some requests', async () => {
    await t.register();
    await t.http.post('/auth/login').send({ email: ADMIN.email, password: 'wrong-password-123' }).expect(401);
    await t.http.get('/catalog/listings/00000000-0000-7000-8000-000000000000').expect(401);
    await t.catchUp();
    const response = await t.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.text;
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/auth\/register",status="201"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/catalog\/listings\/:listingId",status="401"\} [1-9]/);
    expect(text).not.toContain('00000000-0000-7000-8000-000000000000');
    expect(text).toMatch(/^eventstore_stream_appends_total [1-9]/m);
    expect(text).toMatch(/^projection_lag_events\{projection="identity\.users"\} 0$/m);
    expect(text).toMatch(/^audit_sealer_lag_events \d+$/m);
    expect(text).toMatch(/^auth_logins_failed_total\{reason="invalid_credentials"\} 1$/m);
    expect(text).toContain('# TYPE http_requests_throttled_total counter');
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // The payments module registers the outbox as the backlog's source: nothing waits in it here.
    expect(text).toMatch(/^payments_outbox_backlog 0$/m);
  });

  it('reads the outbox backlog from its registered source at each scrape', async () => {
    t.app.get(Metrics).outboxBacklog.from(async () => 7);
    expect((await t.http.get('/metrics').expect(200)).text).toMatch(/^payments_outbox_backlog 7$/m);
  });
});

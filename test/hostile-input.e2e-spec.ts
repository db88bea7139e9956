import { createTestApp, TestApp } from './support/app';

/**
 * Each hostile input a fuzzer found answering 500 now answers a 4xx with a stable code, in the error shape of every
 * other refusal. The schema-driven fuzz test (fuzz.e2e-spec.ts) looks for the ones nobody has thought of yet.
 */
describe('hostile input answers 4xx, never 5xx (e2e)', () => {
  let t: TestApp;
  let investor: string;
  let advisor: string;
  let officer: string;
  beforeAll(async () => {
    t = await createTestApp();
    investor = (await t.register()).token;
    advisor = (await t.register('advisor')).token;
    officer = (await t.register('compliance_officer')).token;
  });
  afterAll(async () => t.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const expectRefusal = (response: { status: number; body: { code?: unknown; message?: unknown } }, status: number, code: string) => {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(typeof response.body.message).toBe('string');
  };

  describe('text PostgreSQL cannot store', () => {
    it('refuses a NUL byte in a body field with 400 REQUEST.INVALID_TEXT', async () => {
      const response = await t.http
        .post('/auth/register')
        .send({ email: 'nul@example.com', password: 'a-long-enough-password', displayName: 'a\u0000b' });
      expectRefusal(response, 400, 'REQUEST.INVALID_TEXT');
      expect(response.body.message).toMatch(/displayName/);
    });

    it('refuses a lone surrogate in a body field, however deep', async () => {
      const response = await t.http
        .post('/auth/register')
        .set('Content-Type', 'application/json')
        .send('{"email":"lone@example.com","password":"a-long-enough-password","displayName":"x\\ud800y"}');
      expectRefusal(response, 400, 'REQUEST.INVALID_TEXT');
    });

    it('refuses a lone surrogate in an object key', async () => {
      const response = await t.http
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"email":"a@example.com","password":"p","\\udc00":1}');
      expectRefusal(response, 400, 'REQUEST.INVALID_TEXT');
    });

    it('refuses a NUL byte in a path parameter', async () => {
      const response = await t.http.get('/advisory/engagements/ab%00cd').set(bearer(investor));
      expectRefusal(response, 400, 'REQUEST.INVALID_TEXT');
    });

    it('refuses a NUL byte in a query parameter', async () => {
      const response = await t.http.get('/audit/events?type=a%00b&reason=x').set(bearer(officer));
      expectRefusal(response, 400, 'REQUEST.INVALID_TEXT');
    });

    it('refuses a percent-encoded lone surrogate in the path as a malformed URL', async () => {
      const response = await t.http.get('/advisory/engagements/%ED%A0%80').set(bearer(investor));
      expectRefusal(response, 400, 'REQUEST.MALFORMED_URL');
    });
  });

  describe('bodies the parser should not have to walk', () => {
    it('refuses a body nested thousands of levels deep with 400 REQUEST.TOO_DEEP', async () => {
      const depth = 5000;
      const body = `{"email":${'['.repeat(depth)}1${']'.repeat(depth)},"password":"p"}`;
      const response = await t.http.post('/auth/register').set('Content-Type', 'application/json').send(body);
      expectRefusal(response, 400, 'REQUEST.TOO_DEEP');
    });

    it('refuses a body nested deeper than JSON.parse can go', async () => {
      const depth = 100_000;
      const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const response = await t.http.post('/auth/register').set('Content-Type', 'application/json').send(body);
      expect(response.status).toBe(400);
      expect(['REQUEST.TOO_DEEP', 'REQUEST.MALFORMED_JSON']).toContain(response.body.code);
    });

    it('refuses an oversized body with 413 REQUEST.TOO_LARGE', async () => {
      const response = await t.http
        .post('/auth/register')
        .send({ email: 'big@example.com', password: 'a-long-enough-password', displayName: 'x'.repeat(300 * 1024) });
      expectRefusal(response, 413, 'REQUEST.TOO_LARGE');
    });
  });

  describe('content types and encodings', () => {
    it('refuses an unknown charset with 415 REQUEST.UNSUPPORTED_CHARSET', async () => {
      const response = await t.http
        .post('/auth/login')
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{"email":"a@example.com","password":"p"}');
      expectRefusal(response, 415, 'REQUEST.UNSUPPORTED_CHARSET');
    });

    it('refuses an unsupported Content-Encoding with 415 REQUEST.UNSUPPORTED_ENCODING', async () => {
      const response = await t.http
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'compress')
        .send('{"email":"a@example.com","password":"p"}');
      expectRefusal(response, 415, 'REQUEST.UNSUPPORTED_ENCODING');
    });

    it('refuses a gzip body that is not gzip with 400', async () => {
      const response = await t.http
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .send('{"email":"a@example.com","password":"p"}');
      expect(response.status).toBe(400);
      expect(response.body.code).toEqual(expect.any(String));
    });
  });

  describe('bodies that are not JSON', () => {
    it.each([
      ['text/plain', 'email=a@example.com'],
      ['application/x-www-form-urlencoded', 'email[a][b][c][d][e][f][g]=1&password=x'],
      ['application/x-www-form-urlencoded', '__proto__[admin]=1&constructor[prototype][x]=1'],
      ['application/xml', '<login/>'],
    ])('answers a %s body to login with 400', async (type, body) => {
      const response = await t.http.post('/auth/login').set('Content-Type', type).send(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toEqual(expect.any(String));
    });

    it.each(['"just a string"', '42', 'null', '[]', '[{"email":"a@example.com"}]'])(
      'answers the JSON body %s to registration with 400',
      async (body) => {
        const response = await t.http.post('/auth/register').set('Content-Type', 'application/json').send(body);
        expect(response.status).toBe(400);
        expect(response.body.code).toEqual(expect.any(String));
      },
    );
  });

  describe('wrong JSON types before validation', () => {
    it.each([[{ $gt: '' }], [['a@example.com']], [42], [true]])(
      'refuses a non-string email %j at login with 400 VALIDATION.FAILED',
      async (email) => {
        const response = await t.http.post('/auth/login').send({ email, password: 'a-long-enough-password' });
        expectRefusal(response, 400, 'VALIDATION.FAILED');
        expect(response.body.message).toMatch(/email/);
      },
    );

    it('refuses advice without a basis with 400 VALIDATION.FAILED naming basis', async () => {
      const response = await t.http
        .post('/advisory/products/00000000-0000-7000-8000-000000000000/advice')
        .set(bearer(advisor))
        .send({ content: 'Buy low.' });
      expectRefusal(response, 400, 'VALIDATION.FAILED');
      expect(response.body.message).toMatch(/basis/);
    });
  });

  describe('names that an object inherits', () => {
    it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty'])('answers questionnaire version %s with 404', async (version) => {
      const response = await t.http.get(`/advisory/questionnaire?version=${version}`).set(bearer(investor));
      expectRefusal(response, 404, 'ASSESSMENT.QUESTIONNAIRE_UNKNOWN');
    });
  });

  describe('integers beyond 64 bits in query parameters', () => {
    const huge = '123456789012345678901234567890';
    it.each([
      ['/catalog/listings?offset=', 'investor'],
      ['/catalog/listings?maxPriceMinor=', 'investor'],
      ['/audit/checkpoints?after=', 'officer'],
      ['/audit/proofs/inclusion?eventId=00000000-0000-7000-8000-000000000000&reason=x&treeSize=', 'officer'],
      ['/audit/proofs/consistency?from=', 'officer'],
    ])('%s<30 digits> answers 400', async (path, who) => {
      const token = who === 'investor' ? investor : officer;
      const response = await t.http.get(`${path}${huge}`).set(bearer(token));
      expect(response.status).toBe(400);
      expect(['REQUEST.NUMBER_OUT_OF_RANGE', 'VALIDATION.FAILED']).toContain(response.body.code);
    });

    it('answers an offset beyond any page of the user list with an empty page', async () => {
      const response = await t.http.get(`/admin/users?offset=${huge}`).set(bearer(t.adminToken)).expect(200);
      expect(response.body.items).toEqual([]);
    });

    it('refuses a number beyond any column in a body with 400 REQUEST.NUMBER_OUT_OF_RANGE', async () => {
      const response = await t.http
        .post('/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"email":"n@example.com","password":1e400}`);
      expectRefusal(response, 400, 'REQUEST.NUMBER_OUT_OF_RANGE');
    });
  });
});

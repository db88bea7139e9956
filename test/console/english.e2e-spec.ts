/**
 * The console in English, one journey per role (investor, compliance officer, product manager, admin): after switching
 * the language in the header, every page of the role's navigation is opened (the E5 reason given where asked) and its
 * text checked: no Chinese and no raw translation key (`a.b.c`) unless it is data the server sent (listing titles,
 * document texts and event types are data, and stay as written).
 */
import type { Page, Response } from 'playwright-core';
import { seedDemo } from '../../apps/cli/src/demo/seed-demo';
import { ConsoleRun, startConsole } from './browser';

jest.setTimeout(240_000);

const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
// A translation key is camelCase segments (`moderation.noQueue`); an event type's last segment is PascalCase
// (`advisory.SuitabilityMatched`), so the log page's type filter is not taken for one.
const RAW_KEY = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9_]*)+$/;

/** Every visible text of the page (text nodes, aria-label, placeholder, title), except the language picker's own names. */
const TEXTS = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.textContent || '').trim();
    if (!text || !node.parentElement || node.parentElement.closest('script, style, .top-actions option')) continue;
    out.push(text);
  }
  for (const element of document.querySelectorAll('[aria-label], [placeholder], [title]'))
    for (const name of ['aria-label', 'placeholder', 'title']) {
      const value = element.getAttribute(name);
      if (value) out.push(value.trim());
    }
  return out;
})()`;

/** Collects every string the server sent to the page (JSON values, plain-text documents): the page's data. */
const recordData = (page: Page) => {
  const data = new Set<string>();
  const pending: Promise<void>[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') data.add(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.entries(value).forEach(([key, inner]) => (data.add(key), collect(inner)));
  };
  page.on('response', (response: Response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!type.includes('json') && !type.includes('text/plain')) return;
    pending.push(
      response.text().then(
        (body) => {
          if (type.includes('json')) {
            try {
              collect(JSON.parse(body));
            } catch {
              // JSON Lines (an evidence export): each line on its own
              for (const line of body.split('\n')) if (line.trim()) collect(JSON.parse(line));
            }
          } else data.add(body);
        },
        () => undefined,
      ),
    );
  });
  return {
    settled: () => Promise.all(pending),
    covers: (text: string) => [...data].some((value) => value.includes(text)),
  };
};

describe('web console in English (browser)', () => {
  let run: ConsoleRun;
  let staff: Awaited<ReturnType<typeof seedDemo>>['staff'];

  beforeAll(async () => {
    run = await startConsole();
    ({ staff } = await seedDemo(run.t.app, run.baseUrl));
  });
  afterAll(async () => run?.close());

  const account = (role: string) => {
    const found = staff.find((member) => member.role === role);
    if (!found?.password) throw new Error(`no demo ${role}`);
    return found as { email: string; password: string };
  };

  /** Signs in, switches to English, opens each page of the navigation and answers the untranslated texts per page. */
  const journey = async (email: string, password: string, expected: { area: string; heading: string }) => {
    const context = await run.browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const data = recordData(page);
      await page.goto(`${run.baseUrl}/console/`);
      await page.getByLabel('语言').selectOption('en');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.locator('form button[type=submit]').click();
      await page.locator('nav.side').waitFor();
      await page.getByRole('heading', { name: expected.heading }).waitFor();
      expect(await page.locator('.top h1').textContent()).toBe('Advisory marketplace console');

      const links = await page.locator('nav.side a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
      expect(links.length).toBeGreaterThan(1);
      const problems: string[] = [];
      for (const href of links.filter((link) => link.startsWith(`#/${expected.area}/`))) {
        await page.goto(`${run.baseUrl}/console/${href}`);
        await page.locator('main h2, main .reason-gate').first().waitFor();
        if (await page.locator('main .reason-gate').count()) {
          await page.getByLabel('Reason', { exact: true }).fill('English journey check');
          await page.getByRole('button', { name: 'Continue' }).click();
        }
        // Settled: nothing is loading any more.
        const loading = page.locator('main [role=status][aria-live]');
        for (let waited = 0; (await loading.count()) > 0 && waited < 10_000; waited += 100) await page.waitForTimeout(100);
        await data.settled();
        const texts = (await page.evaluate(TEXTS)) as string[];
        for (const text of texts) {
          // A label may join the console's words and data ("Subscribe <a listing's title>"): each word with Chinese in it must be data.
          const untranslated = text.split(/\s+/).filter((word) => CJK.test(word) && !data.covers(word));
          if (CJK.test(text) && !data.covers(text) && untranslated.length > 0) problems.push(`${href}: Chinese text "${text}"`);
          else if (RAW_KEY.test(text) && !data.covers(text)) problems.push(`${href}: raw key "${text}"`);
        }
      }
      return problems;
    } finally {
      await context.close();
    }
  };

  it('investor: products, advisory, timeline, moderation in English', async () => {
    const email = `english-${Date.now()}@example.com`;
    await run.t.http
      .post('/auth/register')
      .send({ email, password: 'a-long-enough-password', displayName: 'Jane Investor', dateOfBirth: '1985-06-14' })
      .expect(201);
    expect(await journey(email, 'a-long-enough-password', { area: 'investor', heading: 'Value-added products' })).toEqual([]);
  });

  it('compliance officer: every page in English, the E5 reason given where asked', async () => {
    const officer = account('compliance_officer');
    expect(await journey(officer.email, officer.password, { area: 'compliance', heading: 'Review queue' })).toEqual([]);
  });

  it('product manager: listings, growth, campaigns in English', async () => {
    const pm = account('product_manager');
    expect(await journey(pm.email, pm.password, { area: 'product', heading: 'Listings and plans' })).toEqual([]);
  });

  it('admin: users and sessions in English', async () => {
    const admin = account('admin');
    expect(await journey(admin.email, admin.password, { area: 'admin', heading: 'Users and sessions' })).toEqual([]);
  });
});

/**
 * Browser-test support: the real application (test/support/app.ts) listening on a free port and serving the built
 * console, Debian's Chromium driven by playwright-core, axe-core injected into the page, screenshots for docs/console.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, TestApp } from '../support/app';

const root = resolve(__dirname, '../..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The flags that work on our machines (architecture notes): no sandbox as root, no GPU, and no background connections
// (the closed network refuses them). playwright-core gives every launch a fresh user-data directory.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Builds dist/console when apps/console changed since the last build (the same check `npm start` makes). */
export const buildConsole = () => {
  execFileSync(process.execPath, [join(root, 'apps/build-if-changed.js'), '--console'], { stdio: 'inherit', cwd: root });
};

export interface ConsoleRun {
  readonly t: TestApp;
  readonly baseUrl: string;
  readonly browser: Browser;
  newPage(viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** `env`: configuration for the application under test (as createTestApp takes it). */
export const startConsole = async (env: Record<string, string> = {}): Promise<ConsoleRun> => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does this as root)`);
  buildConsole();
  const t = await createTestApp(env);
  await t.app.listen(0, '127.0.0.1');
  const baseUrl = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  const contexts: BrowserContext[] = [];
  return {
    t,
    baseUrl,
    browser,
    newPage: async (viewport = { width: 1280, height: 860 }) => {
      const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'zh-CN' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      return { context, page };
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await t.close();
    },
  };
};

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations of impact "critical" on the page as it is now (evaluated over CDP, so the page's CSP allows it). */
export const criticalA11y = async (page: Page): Promise<{ id: string; help: string; nodes: number }[]> => {
  await page.evaluate(AXE);
  // A string, so it runs in the page as written (the test's own TypeScript has no DOM types).
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`,
  )) as { id: string; impact: string; help: string; nodes: number }[];
  return violations.filter((violation) => violation.impact === 'critical').map(({ id, help, nodes }) => ({ id, help, nodes }));
};

/**
 * Screenshots of each page: into docs/console/<name>.png (the README's) with CONSOLE_SCREENSHOTS=1
 * (`npm run console:screenshots`), otherwise into .data/test/console-shots so a test run leaves the tree as it was.
 */
const SHOTS = process.env.CONSOLE_SCREENSHOTS === '1' ? join(root, 'docs/console') : join(root, '.data/test/console-shots');
export const shoot = async (page: Page, name: string) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
};

/** Time from navigation until `ready` is visible: the "interactive within 1 s" check. */
export const timeToReady = async (page: Page, url: string, ready: string): Promise<number> => {
  const started = Date.now();
  await page.goto(url);
  await page.locator(ready).first().waitFor({ state: 'visible' });
  return Date.now() - started;
};

export const signIn = async (page: Page, baseUrl: string, email: string, password: string) => {
  await page.goto(`${baseUrl}/console/`);
  await page.getByLabel(/邮箱|Email/).fill(email);
  await page.getByLabel(/密码|Password/).fill(password);
  await page.locator('form button[type=submit]').click();
  await page.locator('nav.side').waitFor();
};

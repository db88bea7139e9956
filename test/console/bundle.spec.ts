/**
 * The console's bundle size budget, on the production build (gzip, as served over the network): the code a first
 * visit loads (index.html's entry script and stylesheet) and all the JavaScript any page may load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildConsole } from './browser';

const dist = resolve(__dirname, '../../dist/console');
export const BUDGET = { entryKiB: 140, allJavaScriptKiB: 330 };

const gzipKiB = (file: string) => gzipSync(readFileSync(file)).length / 1024;

describe('console bundle size budget', () => {
  beforeAll(() => buildConsole());

  it(`first load within ${BUDGET.entryKiB} KiB gzip, all JavaScript within ${BUDGET.allJavaScriptKiB} KiB gzip`, () => {
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const entry = [...html.matchAll(/(?:src|href)="\/console\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => join(dist, match[1]));
    expect(entry.length).toBeGreaterThanOrEqual(2);
    const entryKiB = entry.reduce((sum, file) => sum + gzipKiB(file), 0);
    const allKiB = readdirSync(join(dist, 'assets'))
      .filter((name) => name.endsWith('.js'))
      .reduce((sum, name) => sum + gzipKiB(join(dist, 'assets', name)), 0);
    console.log(`console bundle: first load ${entryKiB.toFixed(1)} KiB gzip, all JavaScript ${allKiB.toFixed(1)} KiB gzip`);
    expect(entryKiB).toBeLessThan(BUDGET.entryKiB);
    expect(allKiB).toBeLessThan(BUDGET.allJavaScriptKiB);
  });
});

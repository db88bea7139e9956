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

  it("the growth dashboard's chunk does not bring the chart library (its figures do not wait for it); its chart chunk does", () => {
    const assets = join(dist, 'assets');
    const chunk = (prefix: string) => readdirSync(assets).find((name) => name.startsWith(prefix) && name.endsWith('.js')) ?? '';
    // The chunks a chunk imports statically (loaded and run before it), all the way down; not its import()s.
    const reached = (start: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(start)) return seen;
      seen.add(start);
      for (const [, next] of readFileSync(join(assets, start), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g))
        reached(next, seen);
      return seen;
    };
    const drawsCharts = (start: string) =>
      [...reached(start)].some((name) => readFileSync(join(assets, name), 'utf8').includes('recharts-surface'));
    expect(chunk('Growth-')).not.toBe('');
    expect(drawsCharts(chunk('Growth-'))).toBe(false);
    expect(drawsCharts(chunk('GrowthChart-'))).toBe(true);
  });
});

import '../libs/platform/src/register-paths';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench -- <name>...` runs the named benchmarks (all when none is named). Each prints one JSON line:
 * {"bench":"<name>", ...figures, "ratios":{...}}. Benchmarks live in bench/<name>.ts and export `run()`.
 */
const ALL = ['append', 'projections', 'marketplace', 'advisory', 'audit', 'community'];
/**
 * Run only when named: `cluster` needs root and Debian's PostgreSQL 15 and HAProxy (it installs them when missing);
 * `console` needs Debian's Chromium (`npm run console:perf`); `growth` and `reach` seed 1M investors by default (their
 * environment variables scale them down).
 */
const ON_REQUEST = ['cluster', 'console', 'growth', 'reach'];

const main = async () => {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const chosen = names.length
    ? names
    : ALL.filter((name) => existsSync(join(__dirname, `${name}.js`)) || existsSync(join(__dirname, `${name}.ts`)));
  for (const name of chosen) {
    if (![...ALL, ...ON_REQUEST].includes(name))
      throw new Error(`unknown benchmark "${name}"; known: ${[...ALL, ...ON_REQUEST].join(', ')}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bench = require(join(__dirname, name)) as { run: () => Promise<Record<string, unknown>> };
    const started = Date.now();
    const figures = await bench.run();
    console.log(JSON.stringify({ bench: name, ...figures, wallSeconds: Math.round((Date.now() - started) / 100) / 10 }));
  }
};

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

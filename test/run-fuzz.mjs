// `npm run fuzz -- --runs 20000 --seed 42`: the schema-driven fuzz test (test/fuzz.e2e-spec.ts) with more requests,
// for CI or a soak run. Without options it runs 10,000 requests from a seed taken from the clock, printed first.
import { spawnSync } from 'node:child_process';

const option = (name, fallback) => {
  const index = process.argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (index < 0) return fallback;
  const arg = process.argv[index];
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : process.argv[index + 1];
};
const runs = option('runs', '10000');
const seed = option('seed', String(Date.now() % 2 ** 31));
if (!/^\d+$/.test(runs) || !/^\d+$/.test(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S]');
  process.exit(2);
}
console.log(`fuzzing: ${runs} requests, seed ${seed}`);
const result = spawnSync('npx', ['jest', '--runInBand', 'test/fuzz.e2e-spec.ts'], {
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules', FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);

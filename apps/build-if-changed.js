// Builds (tsc, incremental) only when a source, a tsconfig or the lockfile is newer than the last build: an unchanged
// checkout starts at once. `npm run build` always builds.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const stamp = join(root, 'dist', '.tsbuildinfo');
const inputs = ['apps', 'libs', 'migrations', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

// Directories count too: removing or renaming a file changes its folder's time.
const newest = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, entry) => Math.max(latest, newest(join(path, entry))), stat.mtimeMs);
};

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = inputs.map((input) => join(root, input)).filter(existsSync).some((input) => newest(input) > built);
if (changed) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // tsc leaves the stamp alone when only times changed; mark this build as covering them.
  const now = new Date();
  utimesSync(stamp, now, now);
}

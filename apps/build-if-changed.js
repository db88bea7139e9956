// Builds (tsc, incremental) only when a source, a tsconfig or the lockfile is newer than the last build: an unchanged
// checkout starts at once. `npm run build` always builds. The web console (apps/console, a Vite build into
// dist/console) is checked the same way, on its own inputs.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const consoleRoot = join(root, 'apps', 'console');

// Directories count too: removing or renaming a file changes its folder's time. `skip` leaves a subtree out.
const newest = (path, skip = () => false) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path)
    .map((entry) => join(path, entry))
    .filter((entry) => !skip(entry))
    .reduce((latest, entry) => Math.max(latest, newest(entry, skip)), stat.mtimeMs);
};
const builtAt = (stamp) => (existsSync(stamp) ? statSync(stamp).mtimeMs : 0);
const changedSince = (stamp, inputs, skip) => {
  const built = builtAt(stamp);
  return inputs
    .map((input) => join(root, input))
    .filter(existsSync)
    .some((input) => newest(input, skip) > built);
};
const touch = (stamp) => {
  const now = new Date();
  utimesSync(stamp, now, now);
};

const serverStamp = join(root, 'dist', '.tsbuildinfo');
const serverInputs = ['apps', 'libs', 'migrations', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
// `--console` builds the console alone (the browser tests run the server from source under ts-jest).
const consoleOnly = process.argv.includes('--console');
if (!consoleOnly && changedSince(serverStamp, serverInputs, (entry) => entry === consoleRoot)) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // tsc leaves the stamp alone when only times changed; mark this build as covering them.
  touch(serverStamp);
}

// The console also reads the content guard's phrase list from libs/common, so a change there rebuilds it too. Always a
// production build (a test runner's NODE_ENV=test would bundle React's development build). A lock folder keeps two
// builds (parallel test files, or a test beside `npm start`) from writing dist/console at once.
const consoleStamp = join(root, 'dist', 'console', 'index.html');
const consoleInputs = ['apps/console', 'libs/common/src/content-guard.ts', 'package-lock.json'];
const lock = join(root, 'dist', '.console-build.lock');
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const withLock = (build) => {
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const started = Date.now(); ; sleep(200)) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A build takes seconds; a lock older than five minutes was left by a killed build.
      if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > 300_000) throw new Error(`${lock}: another console build holds the lock`);
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
};
if (existsSync(consoleRoot) && changedSince(consoleStamp, consoleInputs)) {
  withLock(() => {
    if (!changedSince(consoleStamp, consoleInputs)) return; // built meanwhile by whoever held the lock
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(consoleRoot, 'vite.config.mts')],
      {
        stdio: 'inherit',
        cwd: root,
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    touch(consoleStamp);
  });
}

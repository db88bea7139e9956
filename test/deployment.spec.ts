import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * No Docker engine runs on our machines, so the Dockerfile and docker-compose.yml are checked here as far as text
 * allows: what they copy exists, what they run is built, the user is not root, and every variable handed to the API is
 * a documented setting.
 */
const root = resolve(__dirname, '..');
const read = (file: string) => readFileSync(resolve(root, file), 'utf8');

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));

  it('is multi-stage on Node.js 20', () => {
    const stages = instructions.filter((line) => line.startsWith('FROM '));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:20[-\w.]* AS \w+$/);
  });

  it('copies only files that exist in the repository', () => {
    const copies = instructions.filter((line) => line.startsWith('COPY ') && !line.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy.split(/\s+/).slice(1, -1);
      for (const source of sources) expect({ source, exists: existsSync(resolve(root, source)) }).toEqual({ source, exists: true });
    }
  });

  it('builds with the npm build script and runs what the build emits', () => {
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    for (const match of dockerfile.matchAll(/npm run (\S+)/g)) expect(Object.keys(scripts)).toContain(match[1]);
    const command = instructions.find((line) => line.startsWith('CMD '));
    const entry = /"(dist\/[^"]+)\.js"/.exec(command ?? '')?.[1];
    expect(entry).toBe('dist/apps/api/src/main');
    expect(existsSync(resolve(root, `${entry?.replace(/^dist\//, '')}.ts`))).toBe(true);
    expect(JSON.parse(read('tsconfig.build.json')).include).toContain('apps');
  });

  it('installs production dependencies only and runs as a non-root user with a health check', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/\nUSER node\n/);
    expect(runtime.indexOf('USER node')).toBeLessThan(runtime.indexOf('CMD '));
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/health/);
  });

  it('keeps local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['node_modules', 'dist', '.data', '.git']) expect(ignored).toContain(entry);
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');
  const readme = read('README.md');
  const apiSection = compose.slice(compose.indexOf('\n  api:'), compose.indexOf('\nvolumes:'));
  const apiEnvironment = [...apiSection.matchAll(/^ {6}([A-Z][A-Z0-9_]*):/gm)].map((match) => match[1]);

  it('runs the API beside PostgreSQL 18, once the database is healthy', () => {
    expect(compose).toMatch(/image: postgres:18\b/);
    expect(compose).toMatch(/condition: service_healthy/);
    expect(apiSection).toMatch(/build: \./);
  });

  it('hands the API only documented settings', () => {
    expect(apiEnvironment.length).toBeGreaterThan(5);
    // NODE_ENV is Node's own convention, not a setting of this application's table.
    for (const name of apiEnvironment.filter((name) => name !== 'NODE_ENV'))
      expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  });

  it('refuses to start without the secrets a production deployment must set', () => {
    for (const secret of ['POSTGRES_PASSWORD', 'JWT_SECRET', 'PII_MASTER_KEY', 'AUDIT_SIGNING_KEY', 'PAYMENTS_SANDBOX_SECRET']) {
      expect(compose).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
    }
    expect(apiSection).toMatch(/DATABASE_URL: postgres:\/\/marketplace:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/marketplace/);
  });
});

/**
 * The dependency rules of `.dependency-cruiser.js` fire: the checker runs on a small tree with one violating import per
 * rule next to the imports each rule allows, and must report exactly the violations.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const repo = resolve(__dirname, '..');

const tree: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'node16',
      moduleResolution: 'node16',
      baseUrl: '.',
      paths: {
        '@app/common': ['./libs/common/src'],
        '@app/common/testing': ['./libs/common/src/testing'],
        '@app/catalog': ['./libs/catalog/src'],
      },
    },
  }),
  'libs/common/src/index.ts': `export const one = 1;\n`,
  'libs/common/src/testing/index.ts': `import { one } from '..';\nexport const given = one;\n`,
  'libs/catalog/src/index.ts': `export { listing } from './domain/listing';\n`,
  'libs/catalog/src/domain/listing.ts': `import { one } from '@app/common';\nimport { rate } from './rate';\nimport { handler } from '../application/handler';\nexport const listing = one + rate + handler;\n`,
  'libs/catalog/src/domain/rate.ts': `export const rate = 2;\n`,
  'libs/catalog/src/domain/listing.spec.ts': `import { given } from '@app/common/testing';\nimport { listing } from './listing';\nexport const spec = given + listing;\n`,
  'libs/catalog/src/application/handler.ts': `export const handler = 3;\n`,
  'libs/catalog/src/testing/helper.ts': `export const helper = 4;\n`,
  'libs/payments/src/index.ts': `export { pay } from './application/pay';\n`,
  'libs/payments/src/application/pay.ts': `import { listing } from '@app/catalog';\nimport { rate } from '../../../catalog/src/domain/rate';\nimport { fake } from '../testing/fake';\nexport const pay = listing + rate + fake;\n`,
  'libs/payments/src/testing/fake.ts': `export const fake = 5;\n`,
  'libs/payments/src/domain/payment.spec.ts': `import { helper } from '../../../catalog/src/testing/helper';\nexport const spec = helper;\n`,
  'libs/platform/src/database.ts': `import { loadMigrations } from '../../../migrations';\nimport { First1760000000000 } from '../../../migrations/1760000000000-first';\nexport const all = [loadMigrations, First1760000000000];\n`,
  'libs/platform/src/index.ts': `import { listing } from '@app/catalog';\nexport { all } from './database';\nexport const platform = listing;\n`,
  'libs/platform/src/register-paths.ts': `export const registered = true;\n`,
  'migrations/index.ts': `import { First1760000000000 } from './1760000000000-first';\nexport const loadMigrations = () => [First1760000000000];\n`,
  'migrations/1760000000000-first.ts': `export class First1760000000000 {}\n`,
  'apps/api/src/main.ts': `import '../../../libs/platform/src/register-paths';\nimport { listing } from '@app/catalog';\nimport { handler } from '../../../libs/catalog/src/application/handler';\nexport const main = listing + handler;\n`,
};

interface Violation {
  readonly rule: { readonly name: string };
  readonly from: string;
  readonly to: string;
}

/** depcruise exits non-zero when it finds violations; its JSON report is on stdout either way. */
const cruise = (cwd: string): Violation[] => {
  const args = [
    join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
    '--config',
    join(repo, '.dependency-cruiser.js'),
    '--output-type',
    'json',
    'apps',
    'libs',
    'migrations',
  ];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    stdout = (error as { stdout: string }).stdout;
  }
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
};

describe('dependency rules (.dependency-cruiser.js)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dependency-rules-'));
    for (const [path, text] of Object.entries(tree)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('report every violating import, and only those', () => {
    const found = cruise(dir)
      .map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)
      .sort();
    expect(found).toEqual(
      [
        'apps-through-public-index: apps/api/src/main.ts → libs/catalog/src/application/handler.ts',
        'domain-is-pure: libs/catalog/src/domain/listing.ts → libs/catalog/src/application/handler.ts',
        'kernel-imports-no-context: libs/platform/src/index.ts → libs/catalog/src/index.ts',
        'migrations-only-from-the-runner: libs/platform/src/database.ts → migrations/1760000000000-first.ts',
        'no-test-code-in-production: libs/payments/src/application/pay.ts → libs/payments/src/testing/fake.ts',
        'through-public-index: libs/payments/src/application/pay.ts → libs/catalog/src/domain/rate.ts',
        'through-public-index: libs/payments/src/domain/payment.spec.ts → libs/catalog/src/testing/helper.ts',
      ].sort(),
    );
  });
});

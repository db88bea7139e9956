/**
 * The console's typed API client is generated from docs/openapi.json (`npm run api:client`); this fails when the
 * committed apps/console/src/api/schema.d.ts is not what the generator makes of the committed document.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

describe('console API client', () => {
  it('is up to date with docs/openapi.json (run `npm run api:client` after changing the document)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-client-'));
    try {
      const out = join(dir, 'schema.d.ts');
      execFileSync(
        process.execPath,
        [
          join(root, 'node_modules/openapi-typescript/bin/cli.js'),
          join(root, 'docs/openapi.json'),
          '--redocly',
          join(root, 'apps/console/redocly.yaml'),
          '-o',
          out,
        ],
        { stdio: 'pipe', cwd: root },
      );
      const committed = readFileSync(join(root, 'apps/console/src/api/schema.d.ts'), 'utf8');
      expect(committed === readFileSync(out, 'utf8')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

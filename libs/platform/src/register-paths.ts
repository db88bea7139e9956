/** Resolves the `@app/*` aliases in compiled code. */
import { resolve } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * Compiled entry points import this first so `@app/<lib>` resolves to dist/libs/<lib>/src at run time (tsc keeps the
 * aliases as written). Under ts-jest, jest.config.js maps the same aliases.
 */
const distRoot = resolve(__dirname, '..', '..', '..');
register({ baseUrl: distRoot, paths: { '@app/*': ['libs/*/src'] } });

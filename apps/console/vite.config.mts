// The web console: a static React app served by the API at /console/ (apps/api/src/console.ts).
// Built by apps/build-if-changed.js into dist/console whenever something under apps/console changes.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/console/',
  // React 17+ automatic JSX runtime through Vite's own transformer: no Babel plugin needed for a production build.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  logLevel: 'warn',
});

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import express from 'express';

/**
 * The web console (apps/console), built by apps/build-if-changed.js into dist/console, is served at /console/ by the
 * same server. Hashed assets are cached for a year; index.html is never cached, so a new build shows at once. The API
 * itself is untouched. Without a build (a checkout that never ran `npm start`) /console answers 404 like any unknown
 * path.
 */
export const consoleDirectory = (): string | undefined =>
  // dist/apps/api/src/console.js in production, apps/api/src/console.ts under ts-jest.
  [resolve(__dirname, '../../../console'), resolve(__dirname, '../../../dist/console')].find((dir) => existsSync(join(dir, 'index.html')));

export const serveConsole = (app: INestApplication, directory = consoleDirectory()): void => {
  if (!directory) return;
  const server = app.getHttpAdapter().getInstance() as express.Express;
  server.use(
    '/console',
    express.static(directory, {
      index: 'index.html',
      setHeaders: (response, path) => {
        response.setHeader(
          'Cache-Control',
          path.includes(`${join(directory, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    }),
  );
};

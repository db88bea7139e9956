import { createServer } from 'node:net';

/** A TCP port on loopback that nothing listens on at the moment of asking (the OS picks it). */
export const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

import { createServer, type Server } from 'node:http';
import type { ApiApp } from './app.js';

/** Slow-loris bounds: a client gets this long to send headers, and the whole request. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;

/** Listens on host:port (port 0 picks a free one); resolves once listening. */
export async function listen(app: ApiApp, host: string, port: number): Promise<Server> {
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (req, res) => {
      void app.handle(req, res);
    },
  );
  server.maxHeadersCount = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

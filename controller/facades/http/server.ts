// The listening server (docs/serve.md#running): the app on @hono/node-server, bound to one address.
// app/serve.ts is the one place that wires it with the engine, the WebSocket server and the metrics.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

import type { HttpEnv } from './http-env.js';

export interface RunningServer {
  /** the node http.Server: the WebSocket module attaches its upgrade handler to it */
  server: Server;
  port: number;
  host: string;
  /** stop accepting, end idle keep-alive sockets, and resolve once every socket is closed */
  close(): Promise<void>;
}

/** @example const running = await startServer({ app, port: 0, host: '127.0.0.1' }); */
export function startServer({ app, port, host }: { app: Hono<HttpEnv>; port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        server,
        port: address.port,
        host,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

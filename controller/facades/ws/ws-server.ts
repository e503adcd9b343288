// The WebSocket facade (docs/serve.md#websocket): `ws` on its own port and at /ws on the HTTP server,
// Origin and token checked before the upgrade, ping frames to find dead peers, 1001 on shutdown.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type WebSocket } from 'ws';

import type { Engine } from '../../engine/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import { openConnection } from './ws-connection.js';
import { admit, refuse, WS_PROTOCOL, type WsAuthenticate } from './ws-credentials.js';

export interface AttachWebSocketOptions {
  /** the HTTP server: WebSockets are also accepted at `/ws` on it */
  server?: Server;
  /** a port of its own (0: any free one; `listening` says which); none: only `/ws` on `server` */
  port?: number;
  host?: string;
  engine: Engine;
  authenticate: WsAuthenticate;
  /** Origins a browser may connect from (a request without Origin is not a browser's) */
  origins: readonly string[];
  /** the largest message a client may send; larger closes it with 1009 */
  maxPayload?: number;
  /** bytes waiting to be sent before a client counts as too slow (closed with 1013) */
  maxBufferedBytes?: number;
  /** messages the engine queues per client before dropping it */
  queueLimit?: number;
  /** how often a ping frame goes out; a peer that answered none of the last one is terminated */
  heartbeatMs?: number;
  closeGraceMs?: number;
  logger?: Pick<Logger, 'warn'>;
  /** told when a client is closed as too slow (metrics count it: `metrics.observeDropped('ws')`) */
  onDropped?: () => void;
}

export interface WebSocketHandle {
  /** the bound port of the WebSocket's own listener, or null without one */
  listening: Promise<number | null>;
  /** close every client with `code` (default 1001, going away), then stop listening */
  close(code?: number): Promise<void>;
  clients(): number;
}

const silent = { warn: () => undefined };

/**
 * @example
 * const ws = attachWebSocket({ server, port: 9022, host: '127.0.0.1', engine, authenticate, origins });
 * const port = await ws.listening; // … later: await ws.close();
 */
export function attachWebSocket({
  server,
  port,
  host,
  engine,
  authenticate,
  origins,
  maxPayload = 4096,
  maxBufferedBytes = 1024 * 1024,
  queueLimit = 1000,
  heartbeatMs = 30_000,
  closeGraceMs = 5_000,
  logger = silent,
  onDropped,
}: AttachWebSocketOptions): WebSocketHandle {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    perMessageDeflate: false, // compression costs memory per client and opens a compression-oracle door
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const alive = new WeakMap<WebSocket, boolean>();

  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => undefined); // a peer that vanishes mid-handshake is not the server's error
    const who = admit(request, { authenticate, origins });
    if (who instanceof BatchctlError) return refuse(socket, who);
    wss.handleUpgrade(request, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('error', () => ws.terminate());
      openConnection({
        ws,
        engine,
        maxBufferedBytes,
        queueLimit,
        closeGraceMs,
        logger,
        principal: who.name,
        ...(onDropped ? { onDropped } : {}),
      });
    });
  };
  const onHttpUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/ws') return upgrade(request, socket, head);
    // Another listener may serve other paths; alone, the server says no such WebSocket.
    if (server?.listenerCount('upgrade') === 1) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  };
  server?.on('upgrade', onHttpUpgrade);

  const own = port === undefined ? null : createServer((_req, res) => res.writeHead(426, { Connection: 'close' }).end());
  own?.on('upgrade', upgrade);
  const listening = new Promise<number | null>((resolve, reject) => {
    if (!own) return resolve(null);
    own.once('error', reject);
    own.listen(port, host, () => {
      const address = own.address();
      resolve(typeof address === 'object' && address ? address.port : null);
    });
  });

  // A peer that answered no ping since the last one is gone (a cable pulled, a laptop asleep).
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, heartbeatMs).unref();

  return {
    listening,
    clients: () => wss.clients.size,
    async close(code = 1001) {
      clearInterval(heartbeat);
      server?.off('upgrade', onHttpUpgrade);
      const closed = [...wss.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve());
            ws.close(code, 'server shutting down');
            setTimeout(() => ws.terminate(), closeGraceMs).unref();
          }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (own?.listening) await new Promise<void>((resolve) => own.close(() => resolve()));
    },
  };
}

// A real server on 127.0.0.1 (ephemeral ports) mounting the streaming facades the way `serve` does:
// SSE event routes and /metrics on @hono/node-server, WebSockets on their own port and at /ws.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { Engine } from '../../controller/engine/index.js';
import { openStore } from '../../controller/store/index.js';
import { ERROR_CODES, toBatchctlError } from '../../controller/errors/index.js';
import type { Authenticate, Principal } from '../../controller/facades/http/auth/principal.js';
import { eventRoutes } from '../../controller/facades/http/events/event-routes.js';
import { createMetrics, type Metrics } from '../../controller/facades/http/metrics/metrics.js';
import { attachWebSocket, type AttachWebSocketOptions, type WebSocketHandle } from '../../controller/facades/ws/index.js';

export const TOKENS: Record<string, Principal> = {
  'viewer-token': { name: 'viewer-bot', role: 'viewer' },
  'admin-token': { name: 'admin-bot', role: 'admin' },
};
export const authenticate: Authenticate = (token) => (token === undefined ? null : (TOKENS[token] ?? 'invalid'));
export const ORIGINS = ['http://localhost:5173'];
export const VIEWER = { authorization: 'Bearer viewer-token' };

export interface StreamServer {
  http: string;
  /** ws://… of the WebSocket's own port */
  ws: string;
  /** ws://…/ws on the HTTP port */
  wsOnHttp: string;
  sockets: WebSocketHandle;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function startStreamServer(
  engine: Engine,
  wsOptions: Partial<Omit<AttachWebSocketOptions, 'engine' | 'server'>> = {},
  sseOptions: { keepaliveMs?: number } = {},
): Promise<StreamServer> {
  const metrics = createMetrics({ engine, authenticate });
  const app = new Hono();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    metrics.observeRequest(c.req.routePath, c.res.status, performance.now() - started);
  });
  // The HTTP facade's one error renderer, in short: the outcome table's status, {error: {code, message, hint}}.
  app.onError((error, c) => {
    const failure = toBatchctlError(error);
    const body = { error: { code: failure.code, message: failure.detail, ...(failure.hint ? { hint: failure.hint } : {}) } };
    return c.json(body, ERROR_CODES[failure.code].http as ContentfulStatusCode);
  });
  app.route('/', eventRoutes({ engine, authenticate, onDropped: () => metrics.observeDropped('sse'), ...sseOptions }));
  app.route('/', metrics.route);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const sockets = attachWebSocket({
    server,
    port: 0,
    host: '127.0.0.1',
    engine,
    authenticate,
    origins: ORIGINS,
    onDropped: () => metrics.observeDropped('ws'),
    ...wsOptions,
  });
  metrics.observeWsClients(sockets.clients);
  const wsPort = await sockets.listening;
  const httpPort = (server.address() as AddressInfo).port;
  return {
    http: `http://127.0.0.1:${httpPort}`,
    ws: `ws://127.0.0.1:${wsPort}`,
    wsOnHttp: `ws://127.0.0.1:${httpPort}/ws`,
    sockets,
    metrics,
    async close() {
      await sockets.close();
      metrics.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads an SSE response the way EventSource does (fields per line, a blank line ends a message). */
export async function* sseMessages(response: Response): AsyncGenerator<SseMessage> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const message: SseMessage = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) message.comment = line.slice(1).trim();
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id' || field === 'event') message[field] = value;
        if (field === 'data') message.data = message.data === undefined ? value : `${message.data}\n${value}`;
      }
      yield message;
    }
  }
}

/** Retention, as a purge does it: every stored event of the repository goes; returns the last seq purged. */
export function purgeAllEvents(engine: Engine, repoDir: string): number {
  const last = engine.lastSeq();
  const store = openStore({ file: join(repoDir, '.git', 'batchctl', 'state.db') });
  store.retention.purge({ batchesBefore: null, statuses: [], keep: [], eventsBefore: '9999-01-01T00:00:00.000Z' });
  store.close();
  return last;
}

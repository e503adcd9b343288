// Prometheus metrics (docs/serve.md#metrics): a registry of its own (never prom-client's global one,
// so two servers in one process, or tests, do not share counters), default process metrics, the
// engine's counters and gauges, and what the HTTP and WebSocket facades report.
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { BatchctlError } from '../../../errors/index.js';
import type { Engine } from '../../../engine/index.js';
import { hasRole, type Authenticate } from '../auth/principal.js';
import { bearerOf } from '../events/bearer-viewer.js';
import type { InterlockView } from '../interlock/interlock-routes.js';
import { countEngineEvents } from './engine-counters.js';
import { interlockCounters } from './interlock-counters.js';
import { stateGauges } from './state-gauges.js';

export interface Metrics {
  /** GET /metrics */
  route: Hono;
  /** one finished HTTP request: its route pattern (not the path: ids would explode the series), status, duration */
  observeRequest(route: string, status: number, ms: number): void;
  /** where the number of WebSocket clients is read at scrape time */
  observeWsClients(n: () => number): void;
  /** where InterLock's counts and peers are read at scrape time (`serve --udp`) */
  observeInterlock(view: InterlockView): void;
  /** a subscriber (WebSocket or SSE) dropped as too slow */
  observeDropped(transport: 'ws' | 'sse'): void;
  registry: Registry;
  /** stop following the engine's events */
  close(): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function fromLoopback(c: Context): boolean {
  try {
    return LOOPBACK.has(getConnInfo(c).remote.address ?? '');
  } catch {
    return false; // not served by @hono/node-server: no address to trust
  }
}

/**
 * @example
 * const metrics = createMetrics({ engine, authenticate });
 * app.route('/', metrics.route);
 */
export function createMetrics({ engine, authenticate }: { engine: Engine; authenticate: Authenticate }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const stop = countEngineEvents({ engine, registry });
  stateGauges({ engine, registry });
  const observeInterlock = interlockCounters(registry);

  const requests = new Counter({
    name: 'batchctl_http_requests_total',
    help: 'HTTP requests, by route pattern and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'batchctl_http_request_duration_seconds',
    help: 'HTTP request duration, by route pattern',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'batchctl_events_dropped_total',
    help: 'Event subscribers dropped as too slow, by transport (each resumes from its last seq)',
    labelNames: ['transport'] as const,
    registers: [registry],
  });
  let wsClients: () => number = () => 0;
  new Gauge({
    name: 'batchctl_websocket_clients',
    help: 'WebSocket clients connected now',
    registers: [registry],
    collect() {
      this.set(wsClients());
    },
  });

  const route = new Hono();
  route.get('/metrics', async (c) => {
    const who = authenticate(bearerOf(c));
    // Open to a scraper on the same host; from elsewhere, a viewer token (docs/serve.md#metrics).
    const allowed = who === null ? fromLoopback(c) : who !== 'invalid' && hasRole(who, 'viewer');
    if (!allowed) {
      throw new BatchctlError({
        code: 'UNAUTHENTICATED',
        message: who === 'invalid' ? 'the token matches no token of the server' : 'a token is required from another host',
        hint: 'give the scraper a viewer token (authorization.credentials in its scrape config)',
      });
    }
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });

  return {
    route,
    registry,
    observeRequest(routePattern, status, ms) {
      requests.inc({ route: routePattern, status: String(status) });
      latency.observe({ route: routePattern }, ms / 1000);
    },
    observeWsClients(n) {
      wsClients = n;
    },
    observeInterlock,
    observeDropped(transport) {
      dropped.inc({ transport });
    },
    close: stop,
  };
}

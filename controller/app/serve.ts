// `batchctl serve` composed (docs/serve.md#running): the engine (long-lived), the tokens, the HTTP app
// and its server, recovery at start, the queue, daily retention and a graceful shutdown. The ONE place
// the facades are wired together (facades never import each other).
import { isIP } from 'node:net';

import {
  createHttpApp,
  createMetrics,
  DEFAULT_CORS_ORIGINS,
  eventRoutes,
  interlockRoutes,
  pagesApp,
  startServer,
  type Authenticate,
  type Principal,
  type RunningServer,
  type ServiceState,
} from '../facades/http/index.js';
import { startInterlock, type InterlockHandle } from '../facades/udp/index.js';
import { attachWebSocket } from '../facades/ws/index.js';
import { DASHBOARD_CSP, DASHBOARD_PATHS, dashboardFiles } from '../facades/dashboard/index.js';
import { BatchctlError, toBatchctlError } from '../errors/index.js';
import { createLogger, type Logger } from '../log/index.js';
import type { Engine } from '../engine/index.js';
import type { Environment } from './environment.js';
import { readInterlockFile } from './interlock-file.js';
import { dashboardDir } from './dashboard-dir.js';
import { openEngine } from './open-engine.js';
import { logFailures, openGitHub } from './open-github.js';
import { readTokensFile, tokenAuthenticator } from './tokens-file.js';

export const VERSION = '0.1.0';
const DAY_MS = 86_400_000;

export interface ServeOptions {
  repo?: string;
  db?: string;
  env: Environment;
  httpPort: number;
  wsPort: number;
  host: string;
  corsOrigins?: readonly string[];
  logLevel: string;
  bodyLimit?: number;
  /** `--udp [port]`: the InterLock peer protocol (docs/interlock.md); no port: config/interlock.json's (3022) */
  udp?: { port?: number };
  /** per-client request limits (docs/serve.md#rate-limits); only the HTTP bench raises them, to measure the routes */
  rateLimits?: { general: number; write: number; windowMs: number };
}

export interface Service {
  engine: Engine;
  http: RunningServer;
  /** the bound port of the WebSocket server's own listener (`--ws`; 0 picks a free one) */
  wsPort: number | null;
  /** the bound UDP port of InterLock (`--udp`), or null when it is off */
  udpPort: number | null;
  service: ServiceState;
  /** resolves once recovery at start is done (or failed: /ready stays 503) */
  ready: Promise<void>;
  /** 503 on new submissions, the running batch stops after its current operation, queued ones stay queued */
  shutdown(): Promise<void>;
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** No tokens file: loopback only, and its callers are the admin (docs/serve.md#without-a-tokens-file). */
function identities(env: Environment, host: string): { authenticate: Authenticate; anonymous: Principal | null } {
  if (env.BATCHCTL_TOKENS_FILE) return { authenticate: tokenAuthenticator(readTokensFile(env.BATCHCTL_TOKENS_FILE)), anonymous: null };
  if (!isLoopback(host)) {
    throw new BatchctlError({
      code: 'HOST_NOT_LOOPBACK',
      message: `--host ${host} is not a loopback address, and without BATCHCTL_TOKENS_FILE anyone who can reach it would be admin`,
      hint: 'make tokens with `batchctl token add NAME --role ROLE` and set BATCHCTL_TOKENS_FILE, or bind 127.0.0.1',
      data: { host },
    });
  }
  return { authenticate: (token) => (token === undefined ? null : 'invalid'), anonymous: { name: 'local', role: 'admin' } };
}

/** @example const service = await startService({ env, httpPort: 8022, wsPort: 9022, host: '127.0.0.1', logLevel: 'info' }); */
export async function startService(options: ServeOptions): Promise<Service> {
  const { env, host } = options;
  const { authenticate, anonymous } = identities(env, host);
  const logger = createLogger({ level: options.logLevel, fd: 1, name: 'batchctl-serve' });
  // Once per process: every batch it runs, whoever submitted it, gets its status and incidents (docs/github-api.md).
  const github = openGitHub(env, logger);
  if (!github.on) logger.info({ github: 'off' }, `the GitHub features are off: ${github.why}`);
  const engine = await openEngine({
    env,
    ...(options.repo ? { repo: options.repo } : {}),
    ...(options.db ? { db: options.db } : {}),
    ...(github.on ? { github: logFailures(github.port, logger) } : {}),
  });
  const service: ServiceState = { phase: 'recovering' };

  // Events and metrics check their own roles; without a tokens file, a caller with no token is the
  // loopback admin for them too, as for the routes.
  const streamAuth: Authenticate = (token) => (token === undefined && anonymous ? anonymous : authenticate(token));
  const interlock = options.udp ? await startPeers({ engine, udp: options.udp, env, status: () => service.phase, logger }) : null;
  const corsOrigins = options.corsOrigins ?? DEFAULT_CORS_ORIGINS;
  const metrics = createMetrics({ engine, authenticate: streamAuth });
  const events = eventRoutes({ engine, authenticate: streamAuth, onDropped: () => metrics.observeDropped('sse') });
  const app = createHttpApp({
    engine,
    authenticate,
    anonymous,
    service,
    logger,
    version: VERSION,
    corsOrigins,
    mount: [
      events,
      metrics.route,
      ...(interlock ? [interlockRoutes({ authenticate: streamAuth, interlock })] : []),
      pagesApp({ paths: DASHBOARD_PATHS, files: dashboardFiles({ dir: dashboardDir() }), csp: DASHBOARD_CSP }),
    ],
    observeRequest: metrics.observeRequest,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
  });
  const http = await startServer({ app, port: options.httpPort, host });
  // Every engine event over WebSocket, on its own port and at /ws on the HTTP port.
  const ws = attachWebSocket({
    server: http.server,
    port: options.wsPort,
    host,
    engine,
    authenticate: streamAuth,
    origins: corsOrigins,
    logger,
    onDropped: () => metrics.observeDropped('ws'),
  });
  metrics.observeWsClients(() => ws.clients());
  if (interlock) metrics.observeInterlock(interlock);
  const wsPort = await ws.listening;
  const udpPort = interlock?.port ?? null;
  logger.info({ host, port: http.port, ws_port: wsPort, udp_port: udpPort, tokens: anonymous === null }, 'listening');

  let retention: NodeJS.Timeout | undefined;
  const purge = (): void => {
    engine.purge().then(
      (report) => logger.info({ purge: report }, 'retention'),
      (error: unknown) => logger.error({ code: toBatchctlError(error).code, error: String(error) }, 'retention failed'),
    );
  };
  const ready = (async () => {
    try {
      const report = await engine.recover();
      if (report) logger.info({ recovered: report }, 'recovered an interrupted batch');
      service.phase = 'ready';
      engine.start(); // the batches earlier processes left queued
      purge();
      retention = setInterval(purge, DAY_MS).unref();
    } catch (error) {
      logger.error({ code: toBatchctlError(error).code, error: String(error) }, 'recovery failed: /ready stays 503');
    }
  })();

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      service.phase = 'stopping';
      clearInterval(retention);
      const stopped = http.close(); // stop accepting; in-flight requests finish
      const sockets = ws.close(1001); // going away: clients reconnect to the next start
      metrics.close();
      await engine.close(); // the running batch ends after its current operation; waits end with ENGINE_CLOSED
      const peers = interlock?.close(); // after the engine: its last events reach the peers, then SHUTDOWN
      // Streams (SSE, held ?wait requests) have had their answer: cut what is left.
      const cut = setTimeout(() => http.server.closeAllConnections(), 500);
      await Promise.all([stopped, sockets, peers]);
      clearTimeout(cut);
      logger.info('stopped');
    })());
  return { engine, http, wsPort, udpPort, service, ready, shutdown };
}

/** InterLock on its UDP port; a bad config/interlock.json or a taken port closes the engine and fails the start. */
async function startPeers({
  engine,
  udp,
  env,
  status,
  logger,
}: {
  engine: Engine;
  udp: { port?: number };
  env: Environment;
  status: () => string;
  logger: Logger;
}): Promise<InterlockHandle> {
  try {
    const config = readInterlockFile({ root: engine.root, key: env.BATCHCTL_INTERLOCK_KEY });
    return await startInterlock({ config: udp.port === undefined ? config : { ...config, port: udp.port }, engine, status, logger });
  } catch (error) {
    await engine.close();
    throw error;
  }
}

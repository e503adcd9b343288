// The HTTP app (docs/serve.md): the edge middleware (request id, secure headers, who calls, CORS, the
// request log), the rate limit, then the route table, then the sub-apps app/ mounts (events, metrics).
import { Hono } from 'hono';

import type { Engine } from '../../engine/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { Authenticate, Principal } from './auth/principal.js';
import { DEFAULT_CORS_ORIGINS } from './cors-origins.js';
import { edge } from './edge.js';
import { renderError } from './http-error.js';
import type { HttpEnv, ServiceState } from './http-env.js';
import { mountRoute } from './mount-route.js';
import { openApiDocument } from './openapi.js';
import { rateLimit } from './rate-limit.js';
import type { ObserveRequest } from './request-log.js';
import type { Route } from './route.js';
import { batchesRoutes } from './routes/batches-routes.js';
import { controlRoutes } from './routes/control-routes.js';
import { dashboardRoutes } from './routes/dashboard-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { rollbackRoute } from './routes/rollback-route.js';
import { submitRoute } from './routes/submit-route.js';
import { validateRoute } from './routes/validate-route.js';
import { whoamiRoute } from './routes/whoami-route.js';

export interface HttpAppOptions {
  engine: Engine;
  authenticate: Authenticate;
  /** who a caller without a token is: the admin on loopback when there is no tokens file, else null (401) */
  anonymous?: Principal | null;
  service: ServiceState;
  logger: Logger;
  version: string;
  corsOrigins?: readonly string[];
  /** bytes of one request body (NDJSON counted as it streams) */
  bodyLimit?: number;
  /** requests per window per caller: all of /api, and batch/rollback/retry */
  rateLimits?: { general: number; write: number; windowMs: number };
  /** called once per request (the metrics module's observeRequest) */
  observeRequest?: ObserveRequest;
  /** sub-apps mounted after the middleware (eventRoutes, the metrics route): they check their own roles */
  mount?: readonly Hono[];
}

/** The route table: every route of the API, in the order of docs/serve.md. */
export function routeTable({ service, version }: { service: ServiceState; version: string }): Route[] {
  return [
    ...healthRoutes({ service, version }),
    submitRoute,
    validateRoute,
    rollbackRoute,
    ...batchesRoutes,
    ...controlRoutes,
    whoamiRoute,
    ...dashboardRoutes,
  ];
}

/**
 * @example
 * const app = createHttpApp({ engine, authenticate, service: { phase: 'ready' }, logger, version: '0.1.0' });
 * const { port } = await startServer({ app, port: 0, host: '127.0.0.1' });
 */
export function createHttpApp({
  engine,
  authenticate,
  anonymous = null,
  service,
  logger,
  version,
  corsOrigins: origins = DEFAULT_CORS_ORIGINS,
  bodyLimit = 64 * 1024 * 1024,
  rateLimits = { general: 100, write: 20, windowMs: 60_000 },
  observeRequest,
  mount = [],
}: HttpAppOptions): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>();
  app.use(edge({ authenticate, anonymous, origins, logger, observe: observeRequest }));
  app.use('/api/*', rateLimit({ limit: rateLimits.general, windowMs: rateLimits.windowMs, scope: 'API' }));
  const writeLimit = rateLimit({ limit: rateLimits.write, windowMs: rateLimits.windowMs, scope: 'batch, rollback and retry' });
  const routes = routeTable({ service, version });
  for (const route of routes) mountRoute(app, route, { engine, service, bodyLimit, writeLimit });
  const document = openApiDocument({ routes, version });
  app.get('/openapi.json', (c) => {
    c.set('route', '/openapi.json');
    return c.json(document);
  });
  for (const sub of mount) app.route('/', sub);
  app.notFound((c) => {
    throw new BatchctlError({
      code: 'ROUTE_NOT_FOUND',
      message: `no route ${c.req.method} ${c.req.path}`,
      hint: 'GET /openapi.json lists the routes',
    });
  });
  app.onError(renderError);
  return app;
}

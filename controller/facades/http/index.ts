// facades/http: the HTTP API of `batchctl serve` (docs/serve.md), a thin adapter over the engine.
export { ROLES, hasRole, type Authenticate, type Principal, type Role } from './auth/principal.js';
export { createHttpApp, routeTable, type HttpAppOptions } from './create-http-app.js';
export { DEFAULT_CORS_ORIGINS } from './cors-origins.js';
export type { HttpEnv, ServiceState } from './http-env.js';
export type { ObserveRequest } from './request-log.js';
export { startServer, type RunningServer } from './server.js';
export { eventRoutes, type EventRoutesOptions } from './events/event-routes.js';
export { createMetrics, type Metrics } from './metrics/metrics.js';
export { interlockRoutes, type InterlockView } from './interlock/interlock-routes.js';
export { pagesApp, type PagesOptions } from './pages-app.js';

// The one middleware every request passes (docs/serve.md): its steps in order, as plain functions in one
// async frame, where hono would run a middleware (a closure, a promise, a `next`) per step: request id
// and secure headers, who calls, the Origin check (CORS for browsers), then the route, then one log
// line and the metrics. That chain was most of a read's cost (docs/benchmarks.md#http-reads).
import type { MiddlewareHandler } from 'hono';

import type { Logger } from '../../log/index.js';
import { identify } from './auth/authenticate-request.js';
import type { Authenticate, Principal } from './auth/principal.js';
import { corsOrigins } from './cors-origins.js';
import { isSameOrigin } from '../../domain/index.js';
import { renderError } from './http-error.js';
import type { HttpEnv } from './http-env.js';
import { requestLog, type ObserveRequest } from './request-log.js';
import { stampResponse } from './secure-headers.js';

export interface EdgeOptions {
  authenticate: Authenticate;
  anonymous: Principal | null;
  origins: readonly string[];
  logger: Logger;
  observe?: ObserveRequest | undefined;
}

export function edge({ authenticate, anonymous, origins, logger, observe }: EdgeOptions): MiddlewareHandler<HttpEnv> {
  const browser = corsOrigins(origins);
  const log = requestLog({ logger, observe });
  const who = { authenticate, anonymous };
  return async (c, next) => {
    const started = performance.now();
    try {
      stampResponse(c);
      identify(c, who);
      const origin = c.req.header('origin');
      // No Origin (curl, servers), or a page this server served calling back (the dashboard): no CORS.
      if (origin === undefined || isSameOrigin(origin, c.req.header('host'))) await next();
      else {
        // A preflight is answered by cors() itself, without the route.
        const answered = await browser(origin)(c, next);
        if (answered) c.res = answered;
      }
    } catch (error) {
      // Refused here (ORIGIN_REFUSED), or no route matched (ROUTE_NOT_FOUND): rendered as any error is.
      c.res = renderError(error, c);
    }
    log(c, performance.now() - started);
  };
}

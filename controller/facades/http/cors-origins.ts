// CORS (docs/serve.md#cors): only the allow-list's origins; a request from any other Origin is refused
// with 403 before it reaches a route, so a page elsewhere cannot drive the API with a user's browser.
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';

import { BatchctlError } from '../../errors/index.js';
import type { HttpEnv } from './http-env.js';

/** The seed server's allow-list. */
export const DEFAULT_CORS_ORIGINS = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:3099',
  'http://localhost:8022',
] as const;

/**
 * For a request that sends Origin (a browser's): throws ORIGIN_REFUSED unless it is allowed, else
 * hono's cors() answers the preflight or adds its headers. Requests without Origin (curl, servers) do
 * not come here: they need no CORS headers (the edge middleware, edge.ts).
 */
export function corsOrigins(origins: readonly string[]): (origin: string) => MiddlewareHandler<HttpEnv> {
  const allowed = new Set(origins);
  const headers = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
    exposeHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  return (origin) => {
    if (!allowed.has(origin)) {
      throw new BatchctlError({
        code: 'ORIGIN_REFUSED',
        message: `origin ${origin} is not allowed`,
        hint: 'start the server with --cors-origin for it',
        data: { origin },
      });
    }
    return headers;
  };
}

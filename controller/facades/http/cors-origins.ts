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

export function corsOrigins(origins: readonly string[]): MiddlewareHandler<HttpEnv>[] {
  const allowed = new Set(origins);
  const refuse: MiddlewareHandler<HttpEnv> = async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) {
      // Not a browser (curl, a server, a bot): no CORS headers to add, and hono's cors() would make the
      // response a full web Response (it touches c.res before the handler). Caches still learn it varies.
      c.header('Vary', 'Origin');
      return next();
    }
    if (!allowed.has(origin)) {
      throw new BatchctlError({
        code: 'ORIGIN_REFUSED',
        message: `origin ${origin} is not allowed`,
        hint: 'start the server with --cors-origin for it',
        data: { origin },
      });
    }
    await next();
  };
  const headers = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
    exposeHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  const browser: MiddlewareHandler<HttpEnv> = (c, next) => (c.req.header('origin') === undefined ? next() : headers(c, next));
  return [refuse, browser];
}

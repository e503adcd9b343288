// Secure headers (docs/serve.md#cors): hono's secureHeaders() defaults, set before the handler runs.
// hono's own middleware sets them on `c.res` after it, which makes the response a full web Response
// whose body @hono/node-server must stream; set up front they join the handler's response as it is
// made, and @hono/node-server writes it in one go (docs/benchmarks.md#http-read: the read routes' cost).
import type { MiddlewareHandler } from 'hono';

import type { HttpEnv } from './http-env.js';

/** hono 4's secureHeaders() defaults (test/unit/facades/secure-headers.test.ts fails when they drift). */
export const SECURE_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'SAMEORIGIN'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

export function secureHeaders(): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    for (const [name, value] of SECURE_HEADERS) c.header(name, value);
    await next();
  };
}

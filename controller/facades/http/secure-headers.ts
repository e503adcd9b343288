// Secure headers and the request id (docs/serve.md#logs, #cors): hono's secureHeaders() defaults and
// requestId()'s X-Request-Id, set before the handler runs. hono's own middleware sets secure headers on
// `c.res` after it, which makes the answer a full web Response whose body @hono/node-server must
// stream; and every header set through hono is a web `Headers` operation. On @hono/node-server they go
// straight onto the node response (merged under the handler's own), elsewhere (app.request() in tests)
// through hono (docs/benchmarks.md#http-reads: the read routes' cost).
import type { ServerResponse } from 'node:http';

import type { Context } from 'hono';

import type { HttpEnv } from './http-env.js';

/** hono 4's secureHeaders() defaults (test/unit/facades/http/secure-headers.test.ts fails when they drift). */
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

/** A caller's own X-Request-Id is kept when it is short and plain, as hono's requestId() does. */
const PLAIN_ID = /^[\w\-=]{1,255}$/;

/** Sets the request id (variable and header), the secure headers and `Vary: Origin`; returns the id. */
export function stampResponse(c: Context<HttpEnv>): string {
  const offered = c.req.header('x-request-id');
  const id = offered !== undefined && PLAIN_ID.test(offered) ? offered : crypto.randomUUID();
  c.set('requestId', id);
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  const set = outgoing
    ? (name: string, value: string) => void outgoing.setHeader(name, value)
    : (name: string, value: string) => c.header(name, value);
  for (const [name, value] of SECURE_HEADERS) set(name, value);
  set('X-Request-Id', id);
  // The CORS headers depend on Origin: caches must not hand one caller's answer to another origin.
  set('Vary', 'Origin');
  return id;
}

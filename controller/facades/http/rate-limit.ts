// Rate limits (docs/serve.md#rate-limits): per token, or per address for anonymous callers, with
// draft-7 RateLimit and RateLimit-Policy headers, and 429 + Retry-After past the limit.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

import { BatchctlError } from '../../errors/index.js';
import { errorBody, httpStatusOf } from './http-error.js';
import type { HttpEnv } from './http-env.js';

function clientKey(c: Context<HttpEnv>): string {
  const principal = c.get('principal');
  if (principal && c.get('credential') === 'valid') return `token:${principal.name}`;
  try {
    return `ip:${getConnInfo(c).remote.address ?? 'unknown'}`;
  } catch {
    return 'ip:unknown'; // app.request() in a test: there is no socket
  }
}

export function rateLimit({ limit, windowMs, scope }: { limit: number; windowMs: number; scope: string }): MiddlewareHandler<HttpEnv> {
  return rateLimiter<HttpEnv>({
    windowMs,
    limit,
    standardHeaders: 'draft-7',
    keyGenerator: clientKey,
    handler: (c) => {
      const error = new BatchctlError({
        code: 'RATE_LIMITED',
        message: `more than ${limit} ${scope} requests in ${windowMs / 1000} s`,
        hint: 'wait for the seconds in Retry-After',
        data: { limit, window_seconds: windowMs / 1000, scope },
      });
      return c.json(errorBody(error), httpStatusOf(error.code));
    },
  });
}

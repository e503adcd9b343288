// One log line per request (docs/serve.md#logs): id, method, route, status, duration and the token's
// name. Never a token, a header's value or a body.
import type { MiddlewareHandler } from 'hono';

import type { Logger } from '../../log/index.js';
import type { HttpEnv } from './http-env.js';

export type ObserveRequest = (route: string, status: number, ms: number) => void;

export function requestLog({ logger, observe }: { logger: Logger; observe?: ObserveRequest | undefined }): MiddlewareHandler<HttpEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const route = c.get('route') ?? 'unmatched';
    const failure = c.get('failure');
    logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        route,
        status: c.res.status,
        duration_ms: ms,
        token: c.get('credential') === 'valid' ? (c.get('principal')?.name ?? null) : null,
        ...(c.get('reason') ? { reason: c.get('reason') } : {}),
        ...(failure ? { error: failure.message } : {}),
      },
      'request',
    );
    observe?.(route, c.res.status, ms);
  };
}

// One log line per request (docs/serve.md#logs): id, method, route, status, duration and the token's
// name. Never a token, a header's value or a body.
import type { Context } from 'hono';

import type { Logger } from '../../log/index.js';
import type { HttpEnv } from './http-env.js';

export type ObserveRequest = (route: string, status: number, ms: number) => void;

/** Writes the request's line and tells the metrics; called by the edge middleware once the answer is made. */
export function requestLog({
  logger,
  observe,
}: {
  logger: Logger;
  observe?: ObserveRequest | undefined;
}): (c: Context<HttpEnv>, ms: number) => void {
  return (c, elapsed) => {
    const ms = Math.round(elapsed * 10) / 10;
    const route = c.get('route') ?? 'unmatched';
    const failure = c.get('failure');
    const reason = c.get('reason');
    logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        route,
        status: c.res.status,
        duration_ms: ms,
        token: c.get('credential') === 'valid' ? (c.get('principal')?.name ?? null) : null,
        ...(reason ? { reason } : {}),
        ...(failure ? { error: failure.message } : {}),
      },
      'request',
    );
    observe?.(route, c.res.status, ms);
  };
}

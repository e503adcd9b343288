// Health checks (docs/serve.md#health): open to anyone, they tell an orchestrator whether to route here.
import { BatchctlError } from '../../../errors/index.js';
import { errorBody, httpStatusOf } from '../http-error.js';
import { defineRoute, type Route } from '../route.js';
import type { ServiceState } from '../http-env.js';
import { errorBodySchema, healthSchema } from '../schemas.js';

export function healthRoutes({ service, version }: { service: ServiceState; version: string }): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/health',
      role: null,
      summary: 'the queue, the running batch, backups and a pending crash journal',
      responses: { 200: { description: 'health', schema: healthSchema } },
      async handle({ c, engine }) {
        const health = await engine.health();
        return c.json({
          status: service.phase === 'ready' ? 'ok' : service.phase,
          active_batches: health.running ? 1 : 0,
          queue_depth: health.queue_depth,
          backup_count: health.backup_count,
          journal_pending: health.pending_journal !== null,
          version,
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/ready',
      role: null,
      summary: '200 once recovery at start is done; 503 while recovering or shutting down',
      responses: { 200: { description: 'ready' }, 503: { description: 'NOT_READY', schema: errorBodySchema } },
      handle({ c }) {
        if (service.phase === 'ready') return c.json({ status: 'ready' }, 200);
        const error = new BatchctlError({
          code: service.phase === 'stopping' ? 'ENGINE_CLOSED' : 'NOT_READY',
          message: `the server is ${service.phase}`,
          hint: service.phase === 'stopping' ? 'it is shutting down' : 'it is recovering an interrupted batch; ask again shortly',
        });
        return c.json(errorBody(error), httpStatusOf(error.code));
      },
    }),
  ];
}

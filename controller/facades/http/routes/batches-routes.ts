// The batches (docs/serve.md#batches): the paged history, one batch with its live progress, its items,
// and the two things a caller may do to one: cancel it and retry what did not land.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { ItemStatus, BatchStatus } from '../../../domain/index.js';
import { outcomeOf } from '../../../errors/index.js';
import { defineRoute, type Route } from '../route.js';
import { renderedCacheOf } from './rendered-cache.js';
import { cancelBodySchema, errorBodySchema, itemsQuerySchema, listQuerySchema, retryBodySchema } from '../schemas.js';

const JSON_TYPE = { 'Content-Type': 'application/json' };
const notFound = { description: 'BATCH_NOT_FOUND, or BATCH_ID_INVALID (400)', schema: errorBodySchema };

export const batchesRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/batches',
    role: 'viewer',
    summary: 'batches, newest first, a page at a time (next_cursor)',
    query: listQuerySchema,
    responses: { 200: { description: '{batches, next_cursor}' } },
    handle({ c, engine, query }) {
      const batches = engine.list({
        limit: query.limit,
        ...(query.status ? { status: query.status as BatchStatus } : {}),
        ...(query.ecosystem ? { ecosystem: query.ecosystem } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      const last = batches.length === query.limit ? batches.at(-1) : undefined;
      return c.json({ batches, next_cursor: last?.batch_id ?? null });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/batches/:id',
    role: 'viewer',
    summary: 'one batch: its record, its result, and its live progress while it runs',
    responses: { 200: { description: '{batch, result, items_total, rollbacks, rollback_of, progress?, started_at?}' }, 404: notFound },
    handle({ c, engine, params }) {
      const id = params.id ?? '';
      const cache = renderedCacheOf(engine);
      const stamp = engine.changeStamp();
      const kept = cache.get(id, stamp);
      if (kept !== undefined) return c.body(kept, 200, JSON_TYPE);
      const { batch, result, items_total, progress, started_at, rollbacks, rollback_of } = engine.status(id, { itemLimit: 0 });
      const live = { ...(progress ? { progress } : {}), ...(started_at ? { started_at } : {}) };
      const body = JSON.stringify({ batch, result, items_total, rollbacks, rollback_of, ...live });
      // A running batch's answer moves without the stamp (progress is not stored): never kept.
      if (!progress && !started_at) cache.set(id, stamp, body);
      return c.body(body, 200, JSON_TYPE);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/batches/:id/items',
    role: 'viewer',
    summary: "a batch's operations and their outcome, a page at a time",
    query: itemsQuerySchema,
    responses: { 200: { description: '{items, items_total, next_cursor, progress?}' }, 404: notFound },
    handle({ c, engine, params, query }) {
      // The cursor is the offset of the next item: items keep their operation order.
      const offset = Number(query.cursor ?? '0');
      const details = engine.status(params.id ?? '', {
        itemLimit: query.limit,
        itemOffset: offset,
        ...(query.status ? { itemStatus: query.status as ItemStatus } : {}),
      });
      const next = offset + details.items.length;
      return c.json({
        items: details.items,
        items_total: details.items_total,
        next_cursor: next < details.items_total ? String(next) : null,
        ...(details.progress ? { progress: details.progress } : {}),
      });
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/batches/:id/cancel',
    role: 'operator',
    summary: 'cancel: a queued batch at once, a running one after its current operation (it rolls back)',
    body: cancelBodySchema,
    responses: {
      200: { description: '{batch_id, status: cancelled | cancelling}' },
      404: notFound,
      409: { description: 'BATCH_FINISHED or BATCH_RUNNING_ELSEWHERE', schema: errorBodySchema },
    },
    handle({ c, engine, params, body }) {
      c.set('reason', body.reason);
      return c.json(engine.cancel(params.id ?? '', body.reason), 200);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/batches/:id/retry',
    role: 'operator',
    summary: 'run again the operations of a batch that did not land; answers with the retry batch',
    rateLimit: 'write',
    body: retryBodySchema,
    bodyOptional: true,
    submits: true,
    responses: {
      200: { description: "the retry batch's result" },
      404: notFound,
      409: { description: 'NOTHING_TO_RETRY', schema: errorBodySchema },
    },
    async handle({ c, engine, params, body, principal }) {
      const by = c.get('credential') === 'valid' && principal ? { requestedBy: principal.name } : {};
      const result = await engine.retry(params.id ?? '', { again: body.again, ...by });
      return c.json(result, outcomeOf(result).http as ContentfulStatusCode);
    },
  }),
];

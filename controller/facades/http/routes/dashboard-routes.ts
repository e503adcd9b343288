// What the dashboard reads beyond the other routes (docs/serve.md#routes): the 7-day aggregates for its
// charts and a batch's commit with its trailers and diff summary. Public API like every route.
import { defineRoute, type Route } from '../route.js';
import { batchCommitSchema, errorBodySchema, statsQuerySchema, statsSchema } from '../schemas.js';

export const dashboardRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/stats',
    role: 'viewer',
    summary: 'batches per hour by status, and success rate per ecosystem, over the last `days` days',
    query: statsQuerySchema,
    responses: { 200: { description: '{since, hours, ecosystems}', schema: statsSchema } },
    handle({ c, engine, query }) {
      return c.json(engine.batchStats({ days: query.days }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/batches/:id/commit',
    role: 'viewer',
    summary: "a batch's commit: tag, subject, trailers, and lines added and deleted per file",
    responses: {
      200: { description: 'the commit (nulls when the batch made none)', schema: batchCommitSchema },
      404: { description: 'BATCH_NOT_FOUND, or BATCH_ID_INVALID (400)', schema: errorBodySchema },
    },
    async handle({ c, engine, params }) {
      return c.json(await engine.batchCommit(params.id ?? ''));
    },
  }),
];

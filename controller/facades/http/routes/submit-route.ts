// POST /api/batch (docs/serve.md#submitting-a-batch): queue a batch, answer 202 with its URLs, or with
// `?wait=1` hold the request and answer with the final result under the outcome table's status.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

import type { Batch, BatchResult } from '../../../domain/index.js';
import { batchSchema } from '../../../domain/index.js';
import { BatchctlError, outcomeOf } from '../../../errors/index.js';
import { invalidInput } from '../http-error.js';
import { defineRoute } from '../route.js';
import { errorBodySchema, finalResultSchema, idempotencyKeySchema, submittedSchema, waitQuerySchema } from '../schemas.js';

/** The seed server's execute_batch shape, with the status and reason behind its HTTP status. */
export function finalResult(result: BatchResult): Record<string, unknown> {
  const { batch_id, status, success_count, failure_count, rollback_available, backup_id, errors, reason } = result;
  return { batch_id, status, success_count, failure_count, rollback_available, backup_id, errors, ...(reason ? { reason } : {}) };
}

function withKey(batch: Batch, header: string | undefined): Batch {
  if (header === undefined) return batch;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) throw invalidInput(key.error, 'header');
  const own = batch.options.idempotency_key;
  if (own !== undefined && own !== key.data) {
    throw new BatchctlError({
      code: 'INPUT_INVALID',
      message: "Idempotency-Key: differs from the batch's options.idempotency_key",
      hint: 'send one of them, or the same key in both',
      data: { issues: [{ field: 'Idempotency-Key', message: 'differs from options.idempotency_key' }] },
    });
  }
  return { ...batch, options: { ...batch.options, idempotency_key: key.data } };
}

export const submitRoute = defineRoute({
  method: 'post',
  path: '/api/batch',
  role: 'operator',
  summary: 'queue a batch (JSON or NDJSON); ?wait=1 answers with its final result',
  rateLimit: 'write',
  body: 'batch',
  query: waitQuerySchema,
  submits: true,
  responses: {
    202: { description: 'queued', schema: submittedSchema },
    200: { description: '?wait=1: the batch completed', schema: finalResultSchema },
    400: { description: 'the document is not a batch: the field is named', schema: errorBodySchema },
    422: { description: '?wait=1: validation refused the batch (errors lists the issues)', schema: finalResultSchema },
    503: {
      description: '?wait=1: the control plane refused it (stop, breaker); or the server is shutting down',
      schema: finalResultSchema,
    },
  },
  async handle({ c, engine, principal, query, document }) {
    if (!document) throw new BatchctlError({ code: 'INTERNAL', message: 'no document' });
    const parsed = withKey(await engine.parse(document), c.req.header('idempotency-key'));
    // The token's name is the batch's requested_by: a caller cannot claim another (docs/serve.md#tokens-and-roles).
    const batch = principal && c.get('credential') === 'valid' ? { ...parsed, requested_by: principal.name } : parsed;
    const identity = c.get('credential') === 'valid' && principal ? { identity: principal.name } : {};
    const submitted = await engine.submit(batch, { source: 'http', ...identity });
    const id = submitted.batch_id;
    if (query.wait === '1' || query.wait === 'true') {
      const result = await engine.wait(id);
      return c.json(finalResult(result), outcomeOf(result).http as ContentfulStatusCode);
    }
    const status = submitted.idempotent_replay ? engine.status(id, { itemLimit: 0 }).batch.status : 'queued';
    return c.json(
      {
        batch_id: id,
        status,
        status_url: `/api/batches/${id}`,
        events_url: `/api/batches/${id}/events`,
        ...(submitted.idempotent_replay ? { idempotent_replay: true } : {}),
      },
      202,
    );
  },
});

/** The batch document's JSON Schema for the OpenAPI document. */
export const batchDocumentSchema = batchSchema;

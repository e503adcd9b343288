// The wire shape of a batch's result that more than one facade answers with (MCP execute_batch, HTTP
// `?wait=1`): kept here once so the two cannot drift; each facade extends it with its own fields.
import { z } from 'zod';

import { BATCH_STATUS } from './lifecycle.js';

/** a batch status, listed in the facades' JSON Schema and OpenAPI */
export const batchStatusSchema = z.enum(Object.values(BATCH_STATUS) as [string, ...string[]]);

export const operationErrorSchema = z.object({
  index: z.number(),
  type: z.string(),
  path: z.string(),
  code: z.string(),
  message: z.string(),
});

/** the fields of a BatchResult (results.ts) every facade shows */
export const batchResultSchema = z.object({
  batch_id: z.string(),
  status: batchStatusSchema,
  success_count: z.number(),
  failure_count: z.number(),
  rollback_available: z.boolean(),
  backup_id: z.string().nullable(),
  errors: z.array(operationErrorSchema),
});

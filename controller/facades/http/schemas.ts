// The HTTP-only request and response shapes (docs/serve.md#routes); the batch document itself is the
// domain's batchSchema. Every route parses with these, and GET /openapi.json is generated from them.
import { z } from 'zod';

import { batchResultSchema, batchStatusSchema as batchStatus, ITEM_STATUS } from '../../domain/index.js';

const itemStatus = z.enum(Object.values(ITEM_STATUS) as [string, ...string[]]);
/** query strings are text: `limit=20` */
const limit = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);

export const waitQuerySchema = z.strictObject({
  wait: z.enum(['0', '1', 'true', 'false']).optional().describe('1: hold the request and answer with the final result'),
});

export const idempotencyKeySchema = z.string().min(1).max(200).describe("the batch's options.idempotency_key");

export const listQuerySchema = z.strictObject({
  status: batchStatus.optional(),
  ecosystem: z.string().min(1).max(100).optional(),
  limit: limit(500, 50),
  cursor: z.string().min(1).max(100).optional().describe('next_cursor of the page before'),
});

export const itemsQuerySchema = z.strictObject({
  status: itemStatus.optional(),
  limit: limit(1000, 100),
  cursor: z.string().regex(/^\d+$/, 'a next_cursor of this route').optional(),
});

export const sliQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(366).default(7) });

export const rollbackBodySchema = z.strictObject({
  batch_id: z.string().min(1).max(100),
  reason: z.string().min(1).max(2000).describe('why: the Rollback-Reason trailer and the rollback record GET /api/batches/:id shows'),
  paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000).optional().describe('roll back only the paths matching these globs'),
  restore: z.boolean().default(false).describe('reset the paths to the backup ref instead of merging'),
});

export const cancelBodySchema = z.strictObject({ reason: z.string().min(1).max(2000) });

export const retryBodySchema = z.strictObject({ again: z.boolean().default(false) }).default({ again: false });

export const stopBodySchema = z.strictObject({
  reason: z.string().min(1).max(2000),
  ecosystem: z.string().min(1).max(100).optional(),
  incident_url: z.string().url().max(2000).optional(),
  expected_resume: z.string().datetime({ offset: true }).optional(),
});

export const resumeBodySchema = z.strictObject({ ecosystem: z.string().min(1).max(100).optional() }).default({});

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().describe('a code of docs/outcomes.md'),
    message: z.string(),
    hint: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const submittedSchema = z.object({
  batch_id: z.string(),
  status: z.string(),
  status_url: z.string(),
  events_url: z.string(),
  idempotent_replay: z.boolean().optional(),
});

/** `?wait=1`: the seed server's execute_batch result, plus the status and reason behind its HTTP status */
export const finalResultSchema = batchResultSchema.extend({
  reason: z.object({ code: z.string(), message: z.string() }).optional(),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'recovering', 'stopping']),
  active_batches: z.number(),
  queue_depth: z.number(),
  backup_count: z.number(),
  journal_pending: z.boolean(),
  version: z.string(),
});

// The dashboard's routes (docs/dashboard.md): who calls, the 7-day charts, a batch's commit.
export const whoamiSchema = z.object({
  name: z.string().describe("the token's name (the anonymous loopback admin is `local`)"),
  role: z.enum(['viewer', 'operator', 'admin']),
});

export const statsQuerySchema = z.strictObject({ days: z.coerce.number().int().min(1).max(31).default(7) });

export const statsSchema = z.object({
  since: z.string().describe('the start of the window (ISO-8601 UTC)'),
  hours: z.array(z.object({ hour: z.string().describe('2026-11-22T10:00:00Z'), status: batchStatus, count: z.number().int() })),
  ecosystems: z.array(
    z.object({ ecosystem: z.string(), batches: z.number().int(), succeeded: z.number().int(), success_rate: z.number() }),
  ),
});

export const batchCommitSchema = z.object({
  batch_id: z.string(),
  commit: z.string().nullable().describe('null: the batch made no commit'),
  tag: z.string().nullable(),
  subject: z.string().nullable(),
  trailers: z.array(z.object({ key: z.string(), value: z.string() })),
  files: z.array(
    z.object({ path: z.string(), added: z.number().int().nullable().describe('null: binary'), deleted: z.number().int().nullable() }),
  ),
});

// The tools' input and output shapes (docs/mcp.md#tools): built from the domain's schemas (the batch,
// its operations and options, the batch id), so `tools/list` shows the JSON Schema every other caller
// is held to. The SDK parses every call's arguments with these before a tool runs.
import { z } from 'zod';

import {
  batchIdSchema,
  batchOptionsSchema,
  batchResultSchema,
  batchSchema,
  batchStatusSchema as batchStatus,
  ecosystemName,
  operationErrorSchema,
  operationSchema,
} from '../../domain/index.js';
import { BOUNDS } from './bounds.js';

const batchOptions = batchOptionsSchema.unwrap().shape;

const batchId = batchIdSchema.describe('a batch id, exactly as batchctl gave it: b-YYYYMMDD-HHMMSS-xxxxxx');
/** Required and not blank: the words are kept (logs, the stop's reason) for the humans who follow up. */
const reason = (what: string) => z.string().max(BOUNDS.reason).regex(/\S/, 'must not be empty or blank').describe(what);

const operations = z
  .array(operationSchema)
  .min(1, 'a batch needs at least one operation')
  .max(BOUNDS.operations)
  .describe(
    'the file operations, applied in order per path; at most policy.limits.max_operations_per_batch_mcp of batch-control.json (default 50)',
  );

export const executeBatchInput = z.strictObject({
  operations,
  validation: batchOptions.validation.optional(),
  createBackup: batchOptions.createBackup.optional(),
  title: batchSchema.shape.title.optional().describe('the commit subject (default "batch")'),
  ecosystem: batchSchema.shape.ecosystem.optional().describe('which ecosystem\'s stop, breaker and budget apply (default "default")'),
  dry_run: batchOptions.dry_run.optional().describe('validate and plan only; change nothing'),
  idempotency_key: batchOptions.idempotency_key.describe(
    'a second call with the same key returns the first batch instead of running again',
  ),
  plan_hash: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('the plan_hash validate_batch returned: refused if the batch or the repository changed since'),
});

export const validateBatchInput = z.strictObject({ operations });

export const rollbackBatchInput = z.strictObject({
  batch_id: batchId,
  reason: reason('why it is rolled back (logged for the operators)'),
  backup_id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("the batch's backup_id (refs/batchctl/backups/<batch_id>): reset its paths to the backup instead of reverting"),
});

export const getBatchStatusInput = z.strictObject({
  batch_id: batchId.optional().describe('one batch in detail; without it, the latest batches'),
  limit: z.number().int().min(1).max(BOUNDS.history).optional().describe(`how many batches (or items of one batch); default 20`),
});

export const cancelBatchInput = z.strictObject({ batch_id: batchId, reason: reason('why it is cancelled') });

export const getControlStateInput = z.strictObject({});

export const engageEmergencyStopInput = z.strictObject({
  reason: reason('why everything must stop (shown to everyone whose batch is refused)'),
  // Not the batch header's field: that one defaults to "default", and an absent ecosystem here means every batch.
  ecosystem: ecosystemName.optional().describe("stop only this ecosystem's batches (default: all batches)"),
});

const reasonOut = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() });
const issue = z.object({
  code: z.string(),
  index: z.number().describe('the operation, or -1 for the batch as a whole'),
  path: z.string().optional(),
  message: z.string(),
  hint: z.string().optional(),
});

export const executeBatchOutput = batchResultSchema.extend({
  errors: z.array(operationErrorSchema).describe(`the first ${BOUNDS.list}; errors_total counts them all`),
  errors_total: z.number(),
  commit: z.string().nullable(),
  reason: reasonOut.optional().describe('why it did not complete'),
  idempotent_replay: z.boolean().optional(),
  plan_hash: z.string().optional().describe('dry run: the plan hash to pass to a later execute_batch'),
});

export const validateBatchOutput = z.object({
  valid: z.boolean(),
  issues: z.array(issue),
  issues_total: z.number(),
  warnings: z.array(issue),
  warnings_total: z.number(),
  estimated_time_seconds: z.number(),
  total_size_bytes: z.number(),
  plan_hash: z.string(),
});

export const rollbackBatchOutput = z.object({
  success: z.boolean(),
  status: batchStatus,
  batch_id: z.string(),
  rollback_batch_id: z.string().nullable(),
  commit: z.string().nullable(),
  restored: z.array(z.string()).describe('paths put back as they were before the batch'),
  restored_total: z.number(),
  deleted: z.array(z.string()),
  failed: z.array(z.object({ path: z.string(), why: z.string() })).describe('paths a later commit changed: nothing was reverted'),
  reason: reasonOut.optional(),
});

const item = z.object({
  index: z.number(),
  operation: z.string(),
  source: z.string().nullable(),
  target: z.string(),
  status: z.string(),
  code: z.string().nullable(),
  message: z.string().nullable(),
});

export const batchSummary = z.object({
  batch_id: z.string(),
  status: batchStatus,
  title: z.string(),
  ecosystem: z.string(),
  requested_by: z.string(),
  agent: z.string().nullable(),
  source: z.string(),
  total_count: z.number(),
  success_count: z.number(),
  failure_count: z.number(),
  created_at: z.string(),
  completed_at: z.string().nullable(),
  commit: z.string().nullable(),
  backup_id: z.string().nullable(),
  reason: reasonOut.nullable(),
});

export const batchDetail = batchSummary.extend({
  rollback_available: z.boolean(),
  items: z.array(item).describe('the first `limit` operations and their outcomes'),
  items_total: z.number(),
  progress: z.object({ completed: z.number(), failed: z.number(), total: z.number() }).optional().describe('while it runs'),
});

export const getBatchStatusOutput = z.object({ batch: batchDetail.optional(), history: z.array(batchSummary).optional() });

export const cancelBatchOutput = z.object({
  batch_id: z.string(),
  status: z.enum(['cancelled', 'cancelling']).describe('cancelled: it was queued; cancelling: it stops after its current operation'),
});

export const getControlStateOutput = z.object({
  stop: z.object({
    enabled: z.boolean().describe('false: the emergency stop is on'),
    disabled_ecosystems: z.array(z.string()),
    reason: z.string(),
    disabled_by: z.string(),
    disabled_at: z.string(),
  }),
  breakers: z.array(z.object({ ecosystem: z.string(), state: z.string(), effective_state: z.string(), failures: z.number() })),
  budget: z.object({
    mode: z.enum(['normal', 'sampling', 'paused']),
    resets_at: z.string(),
    units: z.array(z.object({ unit: z.string(), used: z.number(), limit: z.number().nullable() })),
  }),
  warnings: z.array(z.string()),
});

export const engageEmergencyStopOutput = z.object({
  stopped: z.literal(true),
  scope: z.string().describe('"all" or the ecosystem'),
  changed: z.boolean().describe('false: the stop was on already'),
  commit: z.string().nullable().describe('the control commit (Control-Change: stop), or null when nothing changed'),
});

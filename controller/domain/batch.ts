// The batch document (docs/batch-format.md#the-batch-document): a header, the operations and the options, as JSON or NDJSON.
import { z } from 'zod';

import { ecosystemName, operationSchema } from './operation.js';

/** Hard ceilings that hold whatever the control file says: they bound memory and argv sizes. */
export const HARD_LIMITS = {
  /** operations in one batch document */
  maxOperations: 1_000_000,
  /** bytes of one file's content */
  maxFileBytes: 10 * 1024 * 1024,
  /** bytes of a whole path (git's own PATH_MAX on Linux) */
  maxPathBytes: 4096,
  /** bytes of one path component (NAME_MAX) */
  maxComponentBytes: 255,
  /** most concurrent operations, whatever a batch asks */
  maxConcurrency: 64,
} as const;

export const batchOptionsSchema = z
  .strictObject({
    atomic: z.boolean().default(false).describe('any failed operation fails the whole batch'),
    failure_threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('failed/total above this rolls the batch back; default from the control file'),
    concurrency: z.number().int().min(1).max(HARD_LIMITS.maxConcurrency).optional(),
    priority: z.number().int().min(0).max(9).default(0),
    dry_run: z.boolean().default(false),
    validation: z.boolean().default(true).describe('false skips advisory checks only, never path safety'),
    createBackup: z.boolean().default(true),
    cost: z.record(z.string().regex(/^[a-z_]+$/), z.number().nonnegative()).optional(),
    idempotency_key: z.string().min(1).max(200).optional(),
  })
  .default({
    atomic: false,
    priority: 0,
    dry_run: false,
    validation: true,
    createBackup: true,
  });

const headerFields = {
  title: z.string().min(1).max(200).default('batch'),
  ecosystem: ecosystemName.default('default'),
  requested_by: z.string().min(1).max(200).default('unknown'),
  options: batchOptionsSchema,
};

export const batchSchema = z.strictObject({
  ...headerFields,
  operations: z.array(operationSchema).min(1, 'a batch needs at least one operation').max(HARD_LIMITS.maxOperations),
});

/** First line of an NDJSON batch: everything but the operations. */
export const batchHeaderSchema = z.strictObject(headerFields);

export type Batch = z.infer<typeof batchSchema>;
export type BatchInput = z.input<typeof batchSchema>;
export type BatchOptions = z.infer<typeof batchOptionsSchema>;
export type BatchHeader = z.infer<typeof batchHeaderSchema>;

/**
 * Every ecosystem a batch touches (docs/batch-format.md#multi-ecosystem-batches): the batch's own
 * first, then those its operations name, sorted — the order of the Batch-Ecosystem trailer.
 */
export function batchEcosystems(batch: { ecosystem: string; operations: ReadonlyArray<{ ecosystem?: string | undefined }> }): string[] {
  const others = new Set<string>();
  for (const op of batch.operations) if (op.ecosystem !== undefined && op.ecosystem !== batch.ecosystem) others.add(op.ecosystem);
  return [batch.ecosystem, ...[...others].sort()];
}

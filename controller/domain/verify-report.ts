// What `batchctl verify --json` prints and `batchctl github drift-issue --report FILE` reads
// (docs/lifecycle.md#drift): one schema, so the two commands cannot drift apart themselves.
import { z } from 'zod';

/** A file a batch wrote whose content no longer matches what the batch recorded. */
export const DriftEntrySchema = z.strictObject({
  batch_id: z.string().min(1).describe('the batch that wrote the file'),
  path: z.string().min(1).describe('repository-relative path, forward slashes'),
  expected_blob: z.string().nullable().describe('the blob id the batch recorded; null when the batch deleted the path'),
  actual_blob: z.string().nullable().describe('the blob id now; null when the path is gone'),
  where: z.enum(['commit', 'work-tree']).describe('changed by a later commit, or only in the work tree'),
  changed_by: z
    .strictObject({ commit: z.string(), subject: z.string(), author: z.string() })
    .nullable()
    .describe('the later commit that changed it (not a batchctl batch or rollback); null for the work tree'),
});
export type DriftEntry = z.infer<typeof DriftEntrySchema>;

export const VerifyReportSchema = z.strictObject({
  head: z.string().describe('the commit verified against'),
  checked_batches: z.number().int().nonnegative(),
  checked_files: z.number().int().nonnegative(),
  drift: z.array(DriftEntrySchema),
  unrecorded_batches: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('batch commits on HEAD the history database lacks (a cold cache): their files were not checked'),
  completed_proposals: z
    .array(z.string())
    .optional()
    .describe('proposed batches (`run --pr`) whose commit verify found on HEAD, their pull request merged: now `completed`'),
  note: z.string().optional().describe('why the report may be incomplete, and the command that fixes it (`batchctl reindex`)'),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

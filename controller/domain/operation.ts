// Batch operations: one zod schema per operation type, a discriminated union on `type` (docs/batch-format.md#the-batch-document).
import { z } from 'zod';

/** A path as the user wrote it; its safety is judged by paths/ (every rule needs a code and index). */
const repoPath = z.string().describe('POSIX path relative to the repository root');
const dependsOn = z
  .array(z.number().int().nonnegative())
  .max(1000)
  .optional()
  .describe('indexes of earlier operations this one must wait for');
/** An ecosystem's name (a batch's, or one operation's): it keys the breakers, stops and SLIs. */
export const ecosystemName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case letters, digits, ".", "_" or "-"');
/** Which ecosystem's breaker, stop and SLIs this operation belongs to (docs/batch-format.md#multi-ecosystem-batches). */
const ecosystem = ecosystemName.optional().describe("the operation's ecosystem; default: the batch's");
const blobId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'a git blob id (40 or 64 hex characters)');

export const writeOperationSchema = z
  .strictObject({
    type: z.literal('write'),
    target: repoPath,
    content: z.string().optional(),
    content_base64: z.string().optional(),
    mode: z.enum(['100644', '100755']).optional(),
    expected_blob: blobId.nullable().optional().describe('blob id the file must have now; null = must not exist'),
    depends_on: dependsOn,
    ecosystem,
  })
  .refine((op) => (op.content === undefined) !== (op.content_base64 === undefined), {
    message: 'a write needs exactly one of content or content_base64',
    path: ['content'],
  });

export const copyOperationSchema = z.strictObject({
  type: z.literal('copy'),
  source: repoPath,
  target: repoPath,
  overwrite: z.boolean().optional(),
  depends_on: dependsOn,
  ecosystem,
});

export const moveOperationSchema = z.strictObject({
  type: z.literal('move'),
  source: repoPath,
  target: repoPath,
  overwrite: z.boolean().optional(),
  depends_on: dependsOn,
  ecosystem,
});

export const renameOperationSchema = z.strictObject({
  type: z.literal('rename'),
  source: repoPath,
  target: repoPath,
  depends_on: dependsOn,
  ecosystem,
});

export const deleteOperationSchema = z.strictObject({
  type: z.literal('delete'),
  target: repoPath.describe('a path, or a glob over tracked files'),
  depends_on: dependsOn,
  ecosystem,
});

export const replaceOperationSchema = z.strictObject({
  type: z.literal('replace'),
  target: repoPath.describe('a path, or a glob over tracked files'),
  find: z.string().min(1),
  replace: z.string(),
  regex: z.boolean().optional(),
  depends_on: dependsOn,
  ecosystem,
});

export const operationSchema = z.discriminatedUnion('type', [
  writeOperationSchema,
  copyOperationSchema,
  moveOperationSchema,
  renameOperationSchema,
  deleteOperationSchema,
  replaceOperationSchema,
]);

export type Operation = z.infer<typeof operationSchema>;
export type OperationType = Operation['type'];
export type WriteOperation = z.infer<typeof writeOperationSchema>;
export type ReplaceOperation = z.infer<typeof replaceOperationSchema>;

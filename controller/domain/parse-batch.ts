// Parsing a batch document, JSON or NDJSON (docs/batch-format.md#the-batch-document), into a typed Batch: the one place every
// facade's input goes through. Errors name the field ("operations.3.target") and the line.
import type { z } from 'zod';

import { BatchctlError } from '../errors/index.js';
import { batchHeaderSchema, batchSchema, HARD_LIMITS, type Batch } from './batch.js';
import { issueFields, type FieldIssue } from './issue-fields.js';
import { operationSchema, type Operation } from './operation.js';

const describeIssues = (issues: readonly z.core.$ZodIssue[], prefix: (string | number)[] = []): FieldIssue[] =>
  issueFields(issues, { prefix, root: '(document)' });

function invalid(message: string, details: FieldIssue[], extra: Record<string, unknown> = {}): BatchctlError {
  const first = details[0];
  return new BatchctlError({
    code: 'INPUT_INVALID',
    message: first ? `${message}: ${first.field}: ${first.message}` : message,
    hint: 'see examples/ for well-formed batches',
    data: { issues: details, ...extra },
  });
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalid(`${where} is not valid JSON`, [{ field: '(document)', message: (error as Error).message }]);
  }
}

/** A whole JSON batch document (already parsed JSON, e.g. an HTTP body or MCP arguments). */
export function parseBatchValue(value: unknown): Batch {
  const parsed = batchSchema.safeParse(value);
  if (!parsed.success) throw invalid('the batch is invalid', describeIssues(parsed.error.issues));
  return parsed.data;
}

/** A whole JSON batch document as text. */
export function parseBatchJson(text: string): Batch {
  return parseBatchValue(parseJson(text, 'the batch'));
}

/**
 * NDJSON: a header line (the batch without `operations`), then one operation per line. Lines are
 * consumed as they arrive so a 100,000-operation batch never exists as one string; they may come in
 * groups (a chunk's worth), which saves an await per line.
 */
export async function parseBatchNdjson(lines: AsyncIterable<string | readonly string[]>): Promise<Batch> {
  let header: z.infer<typeof batchHeaderSchema> | null = null;
  const operations: Operation[] = [];
  let lineNo = 0;
  for await (const item of lines)
    for (const raw of typeof item === 'string' ? [item] : item) {
      lineNo++;
      const line = raw.trim();
      if (line === '') continue;
      const value = parseJson(line, `line ${lineNo}`);
      if (header === null) {
        const parsed = batchHeaderSchema.safeParse(value);
        if (!parsed.success) throw invalid(`line ${lineNo} (the header) is invalid`, describeIssues(parsed.error.issues), { line: lineNo });
        header = parsed.data;
        continue;
      }
      const parsed = operationSchema.safeParse(value);
      if (!parsed.success) {
        throw invalid(`line ${lineNo} is not a valid operation`, describeIssues(parsed.error.issues, ['operations', operations.length]), {
          line: lineNo,
        });
      }
      operations.push(parsed.data);
      if (operations.length > HARD_LIMITS.maxOperations) {
        throw invalid('too many operations', [{ field: 'operations', message: `more than ${HARD_LIMITS.maxOperations}` }]);
      }
    }
  if (header === null) throw invalid('the batch is empty', [{ field: '(document)', message: 'no header line' }]);
  if (operations.length === 0)
    throw invalid('the batch is invalid', [{ field: 'operations', message: 'a batch needs at least one operation' }]);
  return { ...header, operations };
}

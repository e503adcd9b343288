// The operation an item row keeps for `retry` (op_json): the operation as it would run again, except
// that a write's bytes live in git (`content_blob`: a blob under refs/batchctl/retry/<batch-id>),
// so a failed batch never grows the database by its content.
import { z } from 'zod';

import { operationSchema, type Operation } from './operation.js';

const blobId = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/);
const storedSchema = z.looseObject({ type: z.string(), content_blob: blobId.optional() });

/** op_json of an operation; a write whose bytes are in git names the blob instead of holding them. */
export function storedOperation(op: Operation, contentBlob?: string): string {
  if (op.type !== 'write' || contentBlob === undefined) return JSON.stringify(op);
  const { content: _text, content_base64: _bytes, ...rest } = op;
  return JSON.stringify({ ...rest, content_blob: contentBlob });
}

/** op_json of a write whose bytes are in git, built without ever holding them. */
export function storedWrite({
  target,
  mode,
  contentBlob,
  ecosystem,
}: {
  target: string;
  mode: string | null;
  contentBlob: string;
  ecosystem?: string;
}): string {
  return JSON.stringify({
    type: 'write',
    target,
    ...(mode ? { mode } : {}),
    ...(ecosystem ? { ecosystem } : {}),
    content_blob: contentBlob,
  });
}

export interface StoredOperation {
  fields: Record<string, unknown>;
  /** the blob that holds a write's content, to be read back before the operation can run */
  contentBlob: string | null;
}

/** Reads op_json back (rows written before content blobs existed hold the content inline). */
export function parseStoredOperation(json: string): StoredOperation {
  const { content_blob: contentBlob, ...fields } = storedSchema.parse(JSON.parse(json));
  return { fields, contentBlob: contentBlob ?? null };
}

/** The operation again, with its blob's bytes as the content when it has one. */
export function restoredOperation(stored: StoredOperation, bytes: Buffer | undefined): Operation {
  return operationSchema.parse(bytes === undefined ? stored.fields : { ...stored.fields, content_base64: bytes.toString('base64') });
}

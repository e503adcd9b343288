// Request bodies, bounded (docs/serve.md#limits): the byte limit is checked against Content-Length
// first and counted again as the body streams, so an NDJSON upload never has to fit in memory to be refused.
import type { Context } from 'hono';

import type { BatchDocument } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';

const NDJSON = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl']);

function tooLarge(limit: number): BatchctlError {
  return new BatchctlError({
    code: 'BODY_TOO_LARGE',
    message: `the request body is over the limit of ${limit} bytes`,
    hint: 'split the batch, or start the server with a larger --body-limit',
    data: { limit_bytes: limit },
  });
}

function mediaType(c: Context): string | null {
  const header = c.req.header('content-type');
  return header ? (header.split(';')[0]?.trim().toLowerCase() ?? null) : null;
}

function unsupported(got: string | null, accepted: readonly string[]): BatchctlError {
  return new BatchctlError({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: `Content-Type ${got ?? '(none)'} is not accepted here`,
    hint: `send ${accepted.join(' or ')}`,
    data: { content_type: got, accepted },
  });
}

/** The body's chunks, counted: more than `limit` bytes throws BODY_TOO_LARGE mid-stream. */
async function* counted(body: ReadableStream<Uint8Array> | null, limit: number): AsyncGenerator<Uint8Array> {
  if (!body) return;
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > limit) throw tooLarge(limit);
    yield chunk;
  }
}

function checkDeclaredLength(c: Context, limit: number): void {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
}

async function text(c: Context, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for await (const chunk of counted(c.req.raw.body, limit)) parts.push(decoder.decode(chunk, { stream: true }));
  parts.push(decoder.decode());
  return parts.join('');
}

function parseJson(source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new BatchctlError({
      code: 'INPUT_INVALID',
      message: `(body): not valid JSON: ${(error as Error).message}`,
      hint: 'send a JSON object',
      data: { issues: [{ field: '(body)', message: 'not valid JSON' }] },
    });
  }
}

/** A JSON body (`undefined` when the request has none and may omit it). */
export async function readJsonBody(c: Context, { limit, optional }: { limit: number; optional: boolean }): Promise<unknown> {
  checkDeclaredLength(c, limit);
  const type = mediaType(c);
  if (type !== 'application/json' && !(type === null && optional)) throw unsupported(type, ['application/json']);
  const source = await text(c, limit);
  if (source.trim() === '' && optional) return undefined;
  // An optional body may come without a Content-Type only when it is empty.
  if (type === null) throw unsupported(type, ['application/json']);
  return parseJson(source);
}

/** A batch document: JSON (parsed here) or NDJSON (handed to the engine's parser as a counted stream). */
export async function readBatchDocument(c: Context, { limit }: { limit: number }): Promise<BatchDocument> {
  checkDeclaredLength(c, limit);
  const type = mediaType(c);
  // The name makes the engine's reader take it as NDJSON whatever its first line looks like.
  if (type !== null && NDJSON.has(type)) return { document: counted(c.req.raw.body, limit), name: 'request.ndjson' };
  if (type !== 'application/json') throw unsupported(type, ['application/json', 'application/x-ndjson']);
  const value = parseJson(await text(c, limit));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BatchctlError({
      code: 'INPUT_INVALID',
      message: '(body): a batch document is a JSON object',
      hint: 'see docs/batch-format.md',
      data: { issues: [{ field: '(body)', message: 'not an object' }] },
    });
  }
  return { document: value as Record<string, unknown> };
}

// A batch as a facade received it (file, stdin, HTTP body, MCP arguments), and the one reader that
// turns it into a Batch: format detection and NDJSON splitting live here, not in any facade.
// Formats: docs/batch-format.md.
import type { Batch } from './batch.js';
import { parseBatchJson, parseBatchNdjson, parseBatchValue } from './parse-batch.js';

export interface BatchDocument {
  /** text, a stream of chunks (a file, stdin, a request body), or an already parsed JSON value */
  document: string | AsyncIterable<string | Uint8Array> | Record<string, unknown>;
  /** where it came from (a file name): `.ndjson`/`.jsonl` means NDJSON whatever the first line says */
  name?: string;
}

function isChunkStream(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** NDJSON by name: `.ndjson`, `.jsonl`, `.ndjsonl` (but never `.json`). */
function namedNdjson(name: string | undefined): boolean {
  return name !== undefined && /\.(nd)?jsonl?$/.test(name) && !name.endsWith('.json');
}

/** A first line that is a whole JSON object without `operations` is an NDJSON header. */
function looksLikeNdjsonHeader(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !('operations' in value);
  } catch {
    return false;
  }
}

/**
 * The stream's lines, a chunk's worth at a time. Per-line async iteration cost more than parsing and
 * checking the lines (55 ms of 80 for 10,000 operations). A line longer than a chunk is gathered in
 * pieces and joined once, not re-concatenated chunk by chunk.
 */
async function* lineGroups(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: false }); // streaming: a character is never split
  let pending: string[] = [];
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? raw : decoder.decode(raw, { stream: true });
    const last = chunk.lastIndexOf('\n');
    if (last === -1) {
      pending.push(chunk);
      continue;
    }
    const lines = (pending.join('') + chunk.slice(0, last)).split('\n');
    pending = [chunk.slice(last + 1)];
    yield lines;
  }
  const tail = pending.join('') + decoder.decode();
  if (tail !== '') yield [tail];
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

async function* fromArray<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** Parse a document as JSON or NDJSON, whichever it is. Errors are INPUT_INVALID naming field and line. */
export async function parseBatchDocument({ document, name }: BatchDocument): Promise<Batch> {
  if (typeof document === 'string') document = once(document);
  if (!isChunkStream(document)) return parseBatchValue(document);
  const groups = lineGroups(document);
  const first = await groups.next();
  const firstGroup = first.done ? [] : first.value;
  if (namedNdjson(name) || looksLikeNdjsonHeader(firstGroup[0] ?? '')) return parseBatchNdjson(fromArray(firstGroup, groups));
  const parts = [firstGroup.join('\n')];
  for await (const group of groups) parts.push(group.join('\n'));
  return parseBatchJson(parts.join('\n'));
}

/** A typed Batch passes through; a document is parsed. */
export function isBatchDocument(input: Batch | BatchDocument): input is BatchDocument {
  return 'document' in input;
}

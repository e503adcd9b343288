// Reading a batch from a file or stdin: NDJSON (by extension, or a first line that is a header
// without operations) is streamed line by line; anything else is one JSON document.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import { parseBatchJson, parseBatchNdjson, type Batch } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';

function looksLikeNdjsonHeader(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !('operations' in value);
  } catch {
    return false;
  }
}

export async function readBatch(source: string): Promise<Batch> {
  const stream = source === '-' ? process.stdin : createReadStream(source);
  const opened = new Promise<void>((resolve, reject) => {
    if (source === '-') return resolve();
    stream.once('open', () => resolve());
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new BatchctlError({ code: 'USAGE', message: `cannot read ${source}: ${error.code ?? error.message}`, data: { file: source } })));
  });
  await opened;
  const lines = createInterface({ input: stream, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const first = await lines.next();
  const head = first.done ? '' : first.value;
  const ndjson = /\.(nd)?jsonl?$/.test(source) && !source.endsWith('.json') ? true : looksLikeNdjsonHeader(head);
  if (ndjson) {
    return parseBatchNdjson((async function* () {
      yield head;
      for (;;) {
        const next = await lines.next();
        if (next.done) return;
        yield next.value;
      }
    })());
  }
  const parts = [head];
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    parts.push(next.value);
  }
  return parseBatchJson(parts.join('\n'));
}

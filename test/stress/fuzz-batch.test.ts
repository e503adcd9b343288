// Fuzzing batch parsing (issue 17, docs/reliability.md#fuzzing): the one reader every facade's batch
// goes through (parseBatchDocument: JSON or NDJSON, text, chunked bytes or a parsed value). Random
// text, random JSON, and valid batches with a field broken; chunks split anywhere, inside a UTF-8
// character included. Whatever comes in: a Batch, or INPUT_INVALID naming a field. Nothing else escapes,
// and a parsed batch parses again to itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseBatchDocument, parseBatchValue, type Batch } from '../../controller/domain/index.js';
import { BatchctlError } from '../../controller/errors/index.js';
import { fuzzRuns } from './stress-env.js';

const VALID = {
  title: 'fuzz',
  ecosystem: 'npm',
  requested_by: 'fuzzer',
  operations: [
    { type: 'write', target: 'a.txt', content: 'a\n' },
    { type: 'copy', source: 'a.txt', target: 'b.txt' },
    { type: 'move', source: 'b.txt', target: 'c/b.txt' },
    { type: 'rename', source: 'c/b.txt', target: 'c/d.txt' },
    { type: 'replace', target: 'a.txt', find: 'a', replace: 'b' },
    { type: 'delete', target: 'c/*.txt' },
  ],
  options: { atomic: true, idempotency_key: 'k-1' },
} as const;

/** Every path of keys into a JSON value: where a field can be broken. */
function keyPaths(value: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [at];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [at, ...entries.flatMap(([key, v]) => keyPaths(v, [...at, key]))];
}
const PATHS = keyPaths(VALID).filter((p) => p.length > 0);

/** A valid batch with one field replaced by any JSON value, removed, or a stranger key added beside it. */
const brokenBatch = fc
  .record({ path: fc.constantFrom(...PATHS), value: fc.jsonValue({ maxDepth: 3 }), how: fc.constantFrom('set', 'delete', 'add') })
  .map(({ path, value, how }) => {
    const copy = structuredClone(VALID) as unknown as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (how === 'set') node[last] = value;
    else if (how === 'delete') delete node[last];
    else node[`x_${String(last)}`] = value;
    return copy;
  });

/** The same document as NDJSON: a header line, then one operation a line. */
function ndjson(doc: Record<string, unknown>): string {
  const { operations, ...header } = doc;
  const ops = Array.isArray(operations) ? operations : [operations];
  return [JSON.stringify(header), ...ops.map((op) => JSON.stringify(op))].join('\n');
}

/** Bytes of `text` cut into chunks at the given points (a UTF-8 character may straddle two). */
async function* chunked(text: string, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of [...points, bytes.length]) {
    yield bytes.subarray(from, point);
    from = point;
  }
}

const anyDocument = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json({ maxDepth: 4 }),
  brokenBatch.map((doc) => JSON.stringify(doc)),
  brokenBatch.map(ndjson),
  fc.constant(JSON.stringify(VALID)),
  fc.constant(ndjson(VALID as unknown as Record<string, unknown>)),
  fc.array(fc.oneof(fc.json({ maxDepth: 2 }), fc.string({ maxLength: 30 })), { maxLength: 6 }).map((lines) => lines.join('\n')),
);

/** Parse, and check the only two endings there are. */
async function parsedOrRefused(read: () => Promise<Batch>): Promise<Batch | null> {
  try {
    const batch = await read();
    expect(parseBatchValue(JSON.parse(JSON.stringify(batch)))).toEqual(batch); // a parsed batch is a fixed point
    return batch;
  } catch (error) {
    if (!(error instanceof BatchctlError)) throw error;
    expect(error.code).toBe('INPUT_INVALID');
    // the offending field is named (an empty key `{"": 0}` is named by its empty name: a field all the same)
    expect(typeof (error.data as { issues?: Array<{ field: unknown }> }).issues?.[0]?.field).toBe('string');
    return null;
  }
}

describe('fuzzing batch parsing', () => {
  it('text documents, whole or in byte chunks cut anywhere: a Batch or INPUT_INVALID, nothing else', async () => {
    let parsed = 0;
    await fc.assert(
      fc.asyncProperty(
        anyDocument,
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.constantFrom(undefined, 'b.json', 'b.ndjson'),
        async (text, cuts, name) => {
          const whole = await parsedOrRefused(() => parseBatchDocument({ document: text, ...(name ? { name } : {}) }));
          const pieces = await parsedOrRefused(() => parseBatchDocument({ document: chunked(text, cuts), ...(name ? { name } : {}) }));
          expect(pieces).toEqual(whole); // how the bytes arrive changes nothing
          if (whole) parsed++;
        },
      ),
      fuzzRuns('fuzz_batch_text', 3_000, 30_000),
    );
    expect(parsed).toBeGreaterThan(0);
  });

  it('parsed values (an HTTP body, MCP arguments): a Batch or INPUT_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          brokenBatch,
          fc.jsonValue({ maxDepth: 4 }).filter((v) => typeof v === 'object' && v !== null),
        ),
        async (value) => {
          await parsedOrRefused(() => parseBatchDocument({ document: value as Record<string, unknown> }));
        },
      ),
      fuzzRuns('fuzz_batch_value', 3_000, 30_000),
    );
  });
});

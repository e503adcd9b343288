// plan_hash (SPEC §3): digests the batch and the pre-batch blob of every path it reads or writes, so
// `run --plan-hash H` refuses when anything it depends on changed since validation.
import { createHash, type Hash } from 'node:crypto';

import type { Batch } from '../domain/index.js';
import type { IndexEntry } from '../git/index.js';

/**
 * One value, unambiguously: a string as its UTF-8 bytes behind their count (JSON-escaping every
 * operation's content cost more than hashing it: 36 ms for 10,000 writes of 1 KiB; UTF-16 hashed twice
 * the bytes), the rest as JSON. UTF-8 is also how a text content is written, so equal input is equal effect.
 */
function feed(hash: Hash, value: unknown): void {
  if (typeof value === 'string') hash.update(`s${Buffer.byteLength(value)}:`).update(value, 'utf8');
  else hash.update(`j${JSON.stringify(value)}\n`);
}

export function computePlanHash(batch: Batch, touched: ReadonlyMap<string, IndexEntry | null>): string {
  const hash = createHash('sha256');
  const { operations, ...header } = batch;
  hash.update(JSON.stringify(header));
  for (const op of operations) {
    // The parsed operation's keys come in schema order, so the same batch feeds the same sequence.
    for (const [key, value] of Object.entries(op)) {
      hash.update(`${key}=`);
      feed(hash, value);
    }
    hash.update('\n');
  }
  for (const path of [...touched.keys()].sort()) {
    const entry = touched.get(path);
    hash.update(`${path}\0${entry ? `${entry.mode} ${entry.oid}` : '-'}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

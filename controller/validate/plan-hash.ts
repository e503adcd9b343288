// plan_hash (SPEC §3): digests the batch and the pre-batch blob of every path it reads or writes, so
// `run --plan-hash H` refuses when anything it depends on changed since validation.
import { createHash } from 'node:crypto';

import type { Batch } from '../domain/index.js';
import type { IndexEntry } from '../git/index.js';

export function computePlanHash(batch: Batch, touched: ReadonlyMap<string, IndexEntry | null>): string {
  const hash = createHash('sha256');
  const { operations, ...header } = batch;
  hash.update(JSON.stringify(header));
  for (const op of operations) hash.update(JSON.stringify(op)).update('\n');
  for (const path of [...touched.keys()].sort()) {
    const entry = touched.get(path);
    hash.update(`${path}\0${entry ? `${entry.mode} ${entry.oid}` : '-'}\n`);
  }
  return `sha256:${hash.digest('hex')}`;
}

// plan_hash (docs/batch-format.md#the-plan-hash): digests what the batch does and the pre-batch blob
// of every path it reads or writes, so `run --plan-hash H` refuses when anything it depends on
// changed since validation. Only what decides the outcome is hashed: the fields a caller or facade
// fills in (requested_by, dry_run, idempotency_key, priority, cost, concurrency) are not, so
// `validate`, `run --dry-run` and a run give one hash for one repository state.
import { createHash, type Hash } from 'node:crypto';

import type { Batch } from '../domain/index.js';
import type { IndexEntry } from '../git/index.js';

/** Text gathered before one hash update: 10,000 operations made 80,000 updates of a few bytes each. */
const CHUNK_CHARS = 1 << 16;

/** Feeds a hash UTF-8 text in chunks; every piece is UTF-8, so the digest is that of the pieces in order. */
function feeder(hash: Hash): { add(text: string): void; end(): void } {
  let chunk = '';
  const end = (): void => {
    if (chunk !== '') hash.update(chunk, 'utf8');
    chunk = '';
  };
  return {
    add(text) {
      chunk += text;
      if (chunk.length >= CHUNK_CHARS) end();
    },
    end,
  };
}

/** The header fields that decide what lands and how failures are judged, in a fixed order. */
function canonicalHeader(batch: Batch): string {
  const { atomic, failure_threshold, validation, createBackup } = batch.options;
  return JSON.stringify([batch.title, batch.ecosystem, atomic, failure_threshold ?? null, validation, createBackup]);
}

export function computePlanHash(batch: Batch, touched: ReadonlyMap<string, IndexEntry | null>): string {
  const hash = createHash('sha256');
  const feed = feeder(hash);
  const { operations } = batch;
  feed.add(`v2${canonicalHeader(batch)}\n`);
  for (const op of operations) {
    // The parsed operation's keys come in schema order, so the same batch feeds the same sequence.
    for (const [key, value] of Object.entries(op)) {
      // One value, unambiguously: a string as its UTF-8 bytes behind their count (JSON-escaping every
      // content cost more than hashing it), the rest as JSON. UTF-8 is how a text content is written.
      if (typeof value === 'string') feed.add(`${key}=s${Buffer.byteLength(value)}:${value}`);
      else feed.add(`${key}=j${JSON.stringify(value)}\n`);
    }
    feed.add('\n');
  }
  for (const path of [...touched.keys()].sort()) {
    const entry = touched.get(path);
    feed.add(`${path}\0${entry ? `${entry.mode} ${entry.oid}` : '-'}\n`);
  }
  feed.end();
  return `sha256:${hash.digest('hex')}`;
}

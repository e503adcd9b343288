// A run's row is inserted with the process that runs it, in one transaction: if this process dies
// before it finishes the row, recovery can tell the row is orphaned (its owner is gone) from one a
// live process is still working on (docs/lifecycle.md#the-journal-and-crash-recovery).
import { hostname } from 'node:os';

import { batchEcosystems } from '../../domain/index.js';
import { ownIdentity } from '../../journal/index.js';
import type { BatchOwner, BatchRow } from '../../store/index.js';
import type { RunContext } from './run-context.js';

/** This process, as a row's owner. */
export function runOwner(): BatchOwner {
  const { pid, start, boot } = ownIdentity();
  return { pid, start, boot, host: hostname() };
}

export function insertRunRow(ctx: RunContext, row: BatchRow): void {
  const { store } = ctx.deps;
  store.transaction(() => {
    store.batches.insert(row, batchEcosystems(ctx.batch));
    store.batchOwners.set(row.batch_id, runOwner());
  });
}

/** A queued row (inserted at submit) that this process starts to run: it becomes this process's. */
export function claimRunRow(ctx: RunContext): void {
  ctx.deps.store.batchOwners.set(ctx.batchId, runOwner());
}

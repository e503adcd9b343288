// A run's row is inserted with the process that runs it, in one transaction: if this process dies
// before it finishes the row, recovery can tell the row is orphaned (its owner is gone) from one a
// live process is still working on (docs/lifecycle.md#the-journal-and-crash-recovery).
import { hostname } from 'node:os';

import { batchEcosystems } from '../../domain/index.js';
import { ownIdentity } from '../../journal/index.js';
import type { BatchRow } from '../../store/index.js';
import type { RunContext } from './run-context.js';

export function insertRunRow(ctx: RunContext, row: BatchRow): void {
  const { store } = ctx.deps;
  const { pid, start, boot } = ownIdentity();
  store.transaction(() => {
    store.batches.insert(row, batchEcosystems(ctx.batch));
    store.batchOwners.set(row.batch_id, { pid, start, boot, host: hostname() });
  });
}

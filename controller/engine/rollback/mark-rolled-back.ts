// A full rollback's commit marks the batch it reverts `rolled_back` when it lands, in the same store
// transaction as its own `completed` (docs/lifecycle.md#rollback): the mark then never waits on a step
// after the run, which a kill could skip (found by the SIGKILL sweep of serve, docs/reliability.md#sigkill-sweep-of-serve).
// Recovery, finishing a rollback whose commit landed, marks it from the commit's trailers the same way.
import { BATCH_STATUS, TRAILER } from '../../domain/index.js';
import type { Store } from '../../store/index.js';

/** The batch these trailers revert in full (Reverts-Batch without Rollback-Paths), or null. */
export function revertedInFull(trailers: ReadonlyMap<string, string>): string | null {
  const id = trailers.get(TRAILER.revertsBatch);
  return id && !trailers.has(TRAILER.rollbackPaths) ? id : null;
}

/** `completed` → `rolled_back`; any other status is left as it is (a row another history wrote). */
export function markRolledBack(store: Store, batchId: string): void {
  if (store.batches.get(batchId)?.status === BATCH_STATUS.completed) store.batches.update(batchId, { status: BATCH_STATUS.rolled_back });
}

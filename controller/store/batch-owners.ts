// The process that runs a batch, on its row (migration 6): recovery finalizes a row left unfinished
// only when that process is gone (docs/lifecycle.md#the-journal-and-crash-recovery).
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';
import type { BatchOwner, StoreBatchOwners, UnfinishedOwnedRow } from './store.js';

/** Statuses a run passes through; the partial index idx_batch_unfinished_owned names the same list. */
const UNFINISHED = `status IN ('queued', 'preflight', 'validating', 'running', 'committing')`;

export function createBatchOwners(db: Database.Database): StoreBatchOwners {
  const set = db.prepare<Record<string, unknown>>(
    'UPDATE batch_operations SET owner_pid = @pid, owner_start = @start, owner_boot = @boot, owner_host = @host WHERE batch_id = @batch_id',
  );
  const unfinished = db.prepare<
    [],
    { batch_id: string; status: string; pid: number; start: string | null; boot: string | null; host: string }
  >(
    `SELECT batch_id, status, owner_pid AS pid, owner_start AS start, owner_boot AS boot, owner_host AS host FROM batch_operations
     WHERE owner_pid IS NOT NULL AND ${UNFINISHED} ORDER BY created_at, id`,
  );
  return guard('batchOwners', {
    set(batchId: string, owner: BatchOwner): void {
      set.run({ batch_id: batchId, ...owner });
    },
    unfinished(): UnfinishedOwnedRow[] {
      return unfinished.all().map(({ batch_id, status, ...owner }) => ({ batch_id, status, owner }) as UnfinishedOwnedRow);
    },
  });
}

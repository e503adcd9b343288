// cancel(batch_id, reason) (docs/lifecycle.md#cancelling): a queued batch is cancelled at once and never
// runs; a running one (a batch, a rollback, a retry) stops after its current operation and rolls back.
import { BATCH_STATUS, EVENT, type BatchStatus } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { requireBatchId } from '../rollback/find-batch-commits.js';
import { resultFromRow } from '../run/result-from-row.js';
import type { BatchQueue } from './batch-queue.js';

export interface CancelResult {
  batch_id: string;
  /** cancelled: it was queued and is now final; cancelling: it runs and stops after its current operation */
  status: 'cancelled' | 'cancelling';
}

const FINAL: ReadonlySet<BatchStatus> = new Set([
  BATCH_STATUS.completed,
  BATCH_STATUS.failed,
  BATCH_STATUS.cancelled,
  BATCH_STATUS.refused,
  BATCH_STATUS.rolled_back,
  BATCH_STATUS.planned,
]);

/** Why the run stopped, as its signal carries it: the caller's words, under the one code CANCELLED. */
export function cancelReason(reason: string): BatchctlError {
  return new BatchctlError({ code: 'CANCELLED', message: reason });
}

/** Dequeue a queued batch as `cancelled`; false when the queue no longer holds it (a worker claimed it). */
export function cancelQueued(deps: EngineDeps, queue: BatchQueue, batchId: string, reason: string): boolean {
  const { store } = deps;
  const taken = store.transaction(() => {
    if (!store.queue.take(batchId)) return false;
    store.batches.update(batchId, {
      status: BATCH_STATUS.cancelled,
      reason_code: 'CANCELLED',
      reason_message: `cancelled before it ran: ${reason}`,
      completed_at: deps.now().toISOString(),
      duration_ms: 0,
      // Nothing of it ran, so its idempotency key is free again, as for a refused batch.
      idempotency_key: null,
    });
    return true;
  });
  if (!taken) return false;
  const row = store.batches.get(batchId);
  if (row) {
    const result = resultFromRow(row, store);
    deps.bus.emit(EVENT.batchCancelled, batchId, { ...result });
    queue.ticket(batchId)?.settle(result);
  }
  queue.forget(batchId);
  return true;
}

export function cancelBatch({
  deps,
  queue,
  batchId,
  reason,
}: {
  deps: EngineDeps;
  queue: BatchQueue;
  batchId: string;
  reason: string;
}): CancelResult {
  requireBatchId(batchId);
  const ticket = queue.ticket(batchId);
  if (ticket?.started) {
    ticket.controller.abort(cancelReason(reason));
    return { batch_id: batchId, status: 'cancelling' };
  }
  const row = deps.store.batches.get(batchId);
  if (!row) {
    throw new BatchctlError({
      code: 'BATCH_NOT_FOUND',
      message: `no batch ${batchId} in ${deps.store.file}`,
      hint: 'list batches with `batchctl list`',
      data: { batch_id: batchId },
    });
  }
  if (FINAL.has(row.status)) {
    throw new BatchctlError({
      code: 'BATCH_FINISHED',
      message: `batch ${batchId} already ended (${row.status}); there is nothing to cancel`,
      hint: row.status === BATCH_STATUS.completed ? 'undo a completed batch with `batchctl rollback`' : 'see `batchctl status`',
      data: { batch_id: batchId, status: row.status },
    });
  }
  if (row.status === BATCH_STATUS.queued && cancelQueued(deps, queue, batchId, reason)) return { batch_id: batchId, status: 'cancelled' };
  throw new BatchctlError({
    code: 'BATCH_RUNNING_ELSEWHERE',
    message: `batch ${batchId} is ${row.status} in another process; only that process can cancel it`,
    hint: 'cancel it through the batchctl process (or server) that runs it, or stop its ecosystem with `batchctl stop`',
    data: { batch_id: batchId, status: row.status },
  });
}

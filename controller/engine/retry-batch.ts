// batchctl retry (SPEC §6): a new batch of exactly the operations of an earlier one that did not
// land (failed, skipped, or reverted with it), linked by a `Retries-Batch` trailer.
import { BATCH_STATUS, operationSchema, parseBatchValue, TRAILER, type BatchResult, type Operation } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import type { EngineDeps } from './engine-deps.js';
import { requireBatchId } from './rollback/find-batch-commits.js';
import { runBatch } from './run/run-batch.js';

export async function retryBatch(deps: EngineDeps, batchId: string, { requestedBy }: { requestedBy?: string } = {}): Promise<BatchResult> {
  requireBatchId(batchId);
  const row = deps.store.batches.get(batchId);
  if (!row) throw new BatchctlError({ code: 'BATCH_NOT_FOUND', message: `no batch ${batchId} in ${deps.store.file}`, data: { batch_id: batchId } });
  const operations: Operation[] = [];
  for (const item of deps.store.items.iterate(batchId)) {
    if (item.status !== 'succeeded' && item.op_json) operations.push(operationSchema.parse(JSON.parse(item.op_json)));
  }
  if (operations.length === 0) {
    throw new BatchctlError({
      code: 'NOTHING_TO_RETRY',
      message: `every operation of batch ${batchId} landed (status ${row.status}); there is nothing to retry`,
      data: { batch_id: batchId },
    });
  }
  const { idempotency_key: _drop, ...options } = JSON.parse(row.options_json ?? '{}') as Record<string, unknown>;
  const batch = parseBatchValue({
    title: `Retry: ${row.title}`.slice(0, 200),
    ecosystem: row.ecosystem,
    requested_by: requestedBy ?? row.requested_by,
    operations,
    options: { ...options, dry_run: false },
  });
  const result = await runBatch(deps, batch, { source: 'retry', extraTrailers: [[TRAILER.retriesBatch, batchId]] });
  deps.logger.info({ batch_id: batchId, retry: result.batch_id, status: result.status === BATCH_STATUS.completed }, 'retry finished');
  return result;
}

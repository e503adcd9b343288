// batchctl retry (docs/lifecycle.md#rollback): a new batch of exactly the operations of an earlier one that did not
// land (failed, skipped, reverted with it, or never run because the batch was refused), linked by a
// `Retries-Batch` trailer. Retrying a batch again returns the first retry, unless `again`.
import {
  BATCH_STATUS,
  parseBatchValue,
  parseStoredOperation,
  restoredOperation,
  RETRY_REF_PREFIX,
  TRAILER,
  type BatchResult,
  type Operation,
  type StoredOperation,
} from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import type { EngineDeps } from './engine-deps.js';
import { requireBatchId } from './rollback/find-batch-commits.js';
import { resultFromRow } from './run/result-from-row.js';
import { runBatch } from './run/run-batch.js';

export interface RetryOptions {
  requestedBy?: string;
  /** run a new retry even if this batch was retried before (otherwise that first retry is returned) */
  again?: boolean;
  /** false: commit locally only (`--no-push`; docs/lifecycle.md#gitops-push) */
  push?: boolean;
  /** the retry batch stops after its current operation and rolls back (the engine's cancel) */
  signal?: AbortSignal;
  /** the id the retry batch gets (the engine assigns it, so that cancel can name it) */
  runId?: string;
}

/** The idempotency key of the first retry of a batch: a second `retry` finds it and returns that batch. */
export function retryKey(batchId: string): string {
  return `retry-of:${batchId}`;
}

/** The stored operations that did not land, with their content read back from git in one pass. */
async function unlandedOperations(deps: EngineDeps, batchId: string): Promise<Operation[]> {
  const stored: StoredOperation[] = [];
  for (const item of deps.store.items.iterate(batchId)) {
    if (item.status !== 'succeeded' && item.op_json) stored.push(parseStoredOperation(item.op_json));
  }
  const wanted = stored.flatMap((s) => (s.contentBlob ? [s.contentBlob] : []));
  if (wanted.length === 0) return stored.map((s) => restoredOperation(s, undefined));
  const ref = `${RETRY_REF_PREFIX}${batchId}`;
  // The ref is what keeps the blobs: without it git may have pruned them.
  if (!(await deps.git.refsUnder([ref])).has(ref)) {
    throw new BatchctlError({
      code: 'RETRY_CONTENT_MISSING',
      message: `the content of the writes of batch ${batchId} is gone (${ref} does not exist)`,
      hint: 'retention purges it with the batch after metrics_retention_days; submit the batch again instead',
      data: { batch_id: batchId, ref },
    });
  }
  const blobs = await deps.git.readBlobs(wanted);
  return stored.map((s) => restoredOperation(s, s.contentBlob ? blobs.get(s.contentBlob) : undefined));
}

export async function retryBatch(
  deps: EngineDeps,
  batchId: string,
  { requestedBy, again = false, push = true, signal, runId }: RetryOptions = {},
): Promise<BatchResult> {
  requireBatchId(batchId);
  const { store } = deps;
  const row = store.batches.get(batchId);
  if (!row)
    throw new BatchctlError({ code: 'BATCH_NOT_FOUND', message: `no batch ${batchId} in ${store.file}`, data: { batch_id: batchId } });
  const key = again ? undefined : retryKey(batchId);
  // Answered before the content is read back: a repeated retry costs one lookup (runBatch checks again under the lock).
  const earlier = key ? store.batches.findByIdempotencyKey(key) : undefined;
  if (earlier) return { ...resultFromRow(earlier, store), idempotent_replay: true };
  const operations = await unlandedOperations(deps, batchId);
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
    options: { ...options, dry_run: false, ...(key ? { idempotency_key: key } : {}) },
  });
  const result = await runBatch(deps, batch, {
    source: 'retry',
    push,
    extraTrailers: [[TRAILER.retriesBatch, batchId]],
    ...(signal ? { signal } : {}),
    ...(runId ? { batchId: runId } : {}),
  });
  deps.logger.info({ batch_id: batchId, retry: result.batch_id, status: result.status === BATCH_STATUS.completed }, 'retry finished');
  return result;
}

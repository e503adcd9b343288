// A stored batch as the result object every facade returns (idempotent replays, status).
import { storedOperationCode, storedReason, type BatchResult, type BatchStatus } from '../../domain/index.js';
import type { BatchRow, Store } from '../../store/index.js';

export function resultFromRow(row: BatchRow, store: Store): BatchResult {
  const failed = store.items.list(row.batch_id, { limit: 100, status: 'failed' });
  return {
    batch_id: row.batch_id,
    status: row.status as BatchStatus,
    success_count: row.success_count,
    failure_count: row.failure_count,
    commit: row.commit_sha,
    tag: row.tag,
    rollback_available: row.status === 'completed' && row.commit_sha !== null,
    backup_id: row.backup_id,
    errors: failed.map((item) => ({
      index: item.item_index,
      type: item.operation,
      path: item.target_path,
      code: storedOperationCode(item.error_code),
      message: item.error_message ?? '',
    })),
    ...(row.reason_code ? { reason: storedReason(row.reason_code, row.reason_message ?? '') } : {}),
    duration_ms: row.duration_ms ?? 0,
  };
}

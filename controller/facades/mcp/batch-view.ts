// A batch as tools and the batch://<id> resource show it: the row's fields, bounded, with its items.
import type { BatchDetails, BatchRow } from '../../engine/index.js';
import { clip } from './bounds.js';

export function batchSummary(row: BatchRow) {
  return {
    batch_id: row.batch_id,
    status: row.status,
    title: clip(row.title),
    ecosystem: row.ecosystem,
    requested_by: clip(row.requested_by),
    agent: row.agent,
    source: row.source,
    total_count: row.total_count,
    success_count: row.success_count,
    failure_count: row.failure_count,
    created_at: row.created_at,
    completed_at: row.completed_at,
    commit: row.commit_sha,
    backup_id: row.backup_id,
    reason: row.reason_code ? { code: row.reason_code, message: clip(row.reason_message ?? '') } : null,
  };
}

export function batchDetail(details: BatchDetails) {
  const { batch, result, items, items_total, progress } = details;
  return {
    ...batchSummary(batch),
    // While it runs, the counts so far (the engine's live progress).
    success_count: result.success_count,
    failure_count: result.failure_count,
    rollback_available: result.rollback_available,
    items: items.map((i) => ({
      index: i.item_index,
      operation: i.operation,
      source: i.source_path === null ? null : clip(i.source_path),
      target: clip(i.target_path),
      status: i.status,
      code: i.error_code,
      message: i.error_message === null ? null : clip(i.error_message),
    })),
    items_total,
    ...(progress ? { progress: { completed: progress.completed, failed: progress.failed, total: progress.total } } : {}),
  };
}

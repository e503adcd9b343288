// What the history database says the verified batches left in the tree: for each path, the blob the
// newest of them recorded (a later batch that rewrote a path is the one it must match).
import { BATCH_STATUS } from '../../domain/index.js';
import type { BatchRow, Store } from '../../store/index.js';

/** A path as a batch left it: its blob, or null when the batch deleted (or moved away) the path. */
export interface RecordedFile {
  batchId: string;
  blob: string | null;
}

const PAGE = 1000;

/** Committed batches, newest first: paged through the store, so 100,000 rows never sit in one query. */
export function committedBatches(store: Store): BatchRow[] {
  const rows: BatchRow[] = [];
  for (let after: string | undefined; ;) {
    const page = store.batches.list({ limit: PAGE, status: BATCH_STATUS.completed, ...(after === undefined ? {} : { after }) });
    rows.push(...page.filter((row) => row.commit_sha !== null));
    if (page.length < PAGE) return rows;
    after = page.at(-1)?.batch_id;
  }
}

/**
 * path → what the newest of `batches` (given newest first) recorded there. Only operations that
 * landed count; within a batch its last operation on a path wins; a move or rename also deleted
 * its source; a write whose blob was not recorded is left out (there is nothing to compare).
 */
export function recordedFiles(store: Store, batches: readonly BatchRow[]): Map<string, RecordedFile> {
  const files = new Map<string, RecordedFile>();
  for (const batch of batches) {
    const own = new Map<string, string | null>();
    for (const item of store.items.landed(batch.batch_id)) {
      if ((item.operation === 'move' || item.operation === 'rename') && item.source_path) own.set(item.source_path, null);
      if (item.operation === 'delete') own.set(item.target_path, null);
      else if (item.blob_id) own.set(item.target_path, item.blob_id);
      else own.delete(item.target_path);
    }
    for (const [path, blob] of own) if (!files.has(path)) files.set(path, { batchId: batch.batch_id, blob });
  }
  return files;
}

// The batch_rollbacks table (migration 9): the rollbacks asked of each batch, with the caller's reason.
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';
import type { RollbackRow, StoreRollbacks } from './store.js';

interface Raw {
  rollback_batch_id: string;
  batch_id: string;
  reason: string | null;
  requested_by: string;
  paths: string | null;
  restore: number;
  at: string;
}

const SELECT = 'SELECT rollback_batch_id, batch_id, reason, requested_by, paths, restore, at FROM batch_rollbacks';

function toRow(raw: Raw): RollbackRow {
  return { ...raw, paths: raw.paths === null ? null : (JSON.parse(raw.paths) as string[]), restore: raw.restore === 1 };
}

export function createRollbacks(db: Database.Database): StoreRollbacks {
  const insert = db.prepare<Record<string, unknown>>(
    `INSERT INTO batch_rollbacks (rollback_batch_id, batch_id, reason, requested_by, paths, restore, at)
     VALUES (@rollback_batch_id, @batch_id, @reason, @requested_by, @paths, @restore, @at)`,
  );
  const ofBatch = db.prepare<[string], Raw>(`${SELECT} WHERE batch_id = ? ORDER BY at, rowid`);
  const byRollback = db.prepare<[string], Raw>(`${SELECT} WHERE rollback_batch_id = ?`);
  return guard('rollbacks', {
    insert(row: RollbackRow): void {
      insert.run({ ...row, paths: row.paths === null ? null : JSON.stringify(row.paths), restore: row.restore ? 1 : 0 });
    },
    ofBatch(batchId: string): RollbackRow[] {
      return ofBatch.all(batchId).map(toRow);
    },
    byRollback(rollbackBatchId: string): RollbackRow | undefined {
      const raw = byRollback.get(rollbackBatchId);
      return raw ? toRow(raw) : undefined;
    },
  });
}

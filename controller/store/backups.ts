// The batch_backups table: pre-batch commits pinned as git refs, kept until they expire (docs/batch-format.md#the-batch-document, §8).
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';
import type { BackupRow, StoreBackups } from './store.js';

/** The row as SQLite holds it: restored is 0/1, since SQLite has no boolean. */
type StoredBackup = Omit<BackupRow, 'restored'> & { restored: number };

const SELECT = 'SELECT backup_id, batch_id, backup_path, created_at, expires_at, restored FROM batch_backups';

function fromStored(row: StoredBackup): BackupRow {
  return { ...row, restored: row.restored === 1 };
}

export function createBackups(db: Database.Database): StoreBackups {
  const insert = db.prepare<[string, string, string, string, string, number]>(
    `INSERT INTO batch_backups (backup_id, batch_id, backup_path, created_at, expires_at, restored)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byBatch = db.prepare<[string], StoredBackup>(`${SELECT} WHERE batch_id = ? ORDER BY created_at, id`);
  const expired = db.prepare<[string], StoredBackup>(`${SELECT} WHERE expires_at <= ? ORDER BY expires_at, id`);
  const markRestored = db.prepare<[string]>('UPDATE batch_backups SET restored = 1 WHERE backup_id = ?');
  const remove = db.prepare<[string]>('DELETE FROM batch_backups WHERE backup_id = ?');
  const count = db.prepare<[], number>('SELECT count(*) FROM batch_backups').pluck();

  return guard('backups', {
    insert(row: BackupRow): void {
      insert.run(row.backup_id, row.batch_id, row.backup_path, row.created_at, row.expires_at, row.restored ? 1 : 0);
    },

    listByBatch(batchId: string): BackupRow[] {
      return byBatch.all(batchId).map(fromStored);
    },

    expired(now: string): BackupRow[] {
      return expired.all(now).map(fromStored);
    },

    markRestored(backupId: string): boolean {
      return markRestored.run(backupId).changes > 0;
    },

    remove(backupId: string): boolean {
      return remove.run(backupId).changes > 0;
    },

    count(): number {
      return count.get() ?? 0;
    },
  });
}

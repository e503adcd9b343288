// The control_audit table: commits of batch-control.json already checked for hand-made changes.
import type Database from 'better-sqlite3';

import { guard } from './store-error.js';
import type { StoreControlAudit } from './store.js';

export function createControlAudit(db: Database.Database): StoreControlAudit {
  const insert = db.prepare<[string, string]>('INSERT OR IGNORE INTO control_audit (commit_sha, audited_at) VALUES (?, ?)');
  return guard('controlAudit', {
    markAudited(commit: string, at: string): boolean {
      return insert.run(commit, at).changes > 0;
    },
  });
}

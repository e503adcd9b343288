// Migration 6: which process ran a batch (pid, start time, boot id, host), so recovery can finalize
// a row whose run died before it wrote a journal (docs/lifecycle.md#the-journal-and-crash-recovery).
// NULL (older rows, queued submissions): never finalized by recovery.
import type { Migration } from './migration.js';

export const batchOwners: Migration = {
  version: 6,
  name: 'batch-owners',
  sql: `ALTER TABLE batch_operations ADD COLUMN owner_pid INTEGER;
ALTER TABLE batch_operations ADD COLUMN owner_start TEXT;
ALTER TABLE batch_operations ADD COLUMN owner_boot TEXT;
ALTER TABLE batch_operations ADD COLUMN owner_host TEXT;
CREATE INDEX idx_batch_unfinished_owned ON batch_operations(created_at)
  WHERE owner_pid IS NOT NULL AND status IN ('queued', 'preflight', 'validating', 'running', 'committing');`,
};

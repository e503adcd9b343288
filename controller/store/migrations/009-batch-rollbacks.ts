// Migration 9: one row per rollback a caller asked for (docs/lifecycle.md#rollback): which batch it
// reverts, the revert batch that ran it, who asked and why. The revert batch's own row holds its outcome;
// this row holds what only the caller knew (the reason), so `GET /api/batches/:id` can show it.
// Keyed by the revert batch: it goes with that row when retention purges it.
import type { Migration } from './migration.js';

export const batchRollbacks: Migration = {
  version: 9,
  name: 'batch-rollbacks',
  sql: `
CREATE TABLE batch_rollbacks (
  rollback_batch_id TEXT PRIMARY KEY REFERENCES batch_operations (batch_id) ON DELETE CASCADE,
  batch_id TEXT NOT NULL,
  reason TEXT,
  requested_by TEXT NOT NULL,
  paths TEXT,
  restore INTEGER NOT NULL DEFAULT 0 CHECK (restore IN (0, 1)),
  at TEXT NOT NULL
);
CREATE INDEX idx_rollbacks_batch ON batch_rollbacks(batch_id);
`,
};

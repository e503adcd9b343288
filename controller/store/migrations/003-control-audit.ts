// Migration 3: which commits of batch-control.json have been audited for hand-made breaker changes,
// so each is recorded once however many batches run after it.
import type { Migration } from './migration.js';

export const controlAudit: Migration = {
  version: 3,
  name: 'control-audit',
  sql: 'CREATE TABLE control_audit (commit_sha TEXT PRIMARY KEY, audited_at TEXT NOT NULL);',
};

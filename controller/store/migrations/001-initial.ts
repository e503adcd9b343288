// Migration 1: the seed design's tables (batch_operations, batch_items, batch_backups) plus the event log.
import type { Migration } from './migration.js';

// The seed's index names are kept; where a seed index would duplicate a UNIQUE constraint's own
// index (idx_batch_id, idx_items_batch) the named index *is* the uniqueness rule, so 100k-item
// inserts maintain one b-tree instead of two.
const sql = `
CREATE TABLE batch_operations (
  id INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL,
  status TEXT NOT NULL,
  operation_type TEXT NOT NULL,
  total_count INTEGER NOT NULL DEFAULT 0,
  success_count INTEGER NOT NULL DEFAULT 0,
  failure_count INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  backup_id TEXT,
  title TEXT NOT NULL DEFAULT '',
  ecosystem TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  agent TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  commit_sha TEXT,
  tag TEXT,
  plan_hash TEXT,
  idempotency_key TEXT UNIQUE,
  reason_code TEXT,
  reason_message TEXT,
  duration_ms INTEGER,
  options_json TEXT,
  source TEXT NOT NULL
);
CREATE UNIQUE INDEX idx_batch_id ON batch_operations(batch_id);
CREATE INDEX idx_batch_status ON batch_operations(status, created_at);
CREATE INDEX idx_batch_date ON batch_operations(created_at);
CREATE INDEX idx_batch_ecosystem ON batch_operations(ecosystem, created_at);

CREATE TABLE batch_items (
  id INTEGER PRIMARY KEY,
  batch_id TEXT NOT NULL REFERENCES batch_operations(batch_id) ON DELETE CASCADE,
  item_index INTEGER NOT NULL,
  operation TEXT NOT NULL,
  source_path TEXT,
  target_path TEXT NOT NULL,
  status TEXT NOT NULL,
  error_message TEXT,
  processed_at TEXT,
  error_code TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  blob_id TEXT
);
CREATE UNIQUE INDEX idx_items_batch ON batch_items(batch_id, item_index);
CREATE INDEX idx_items_status ON batch_items(batch_id, status, item_index);

-- No foreign key: a backup is a git ref, and reindex may record one whose batch row is gone or not rebuilt yet.
CREATE TABLE batch_backups (
  id INTEGER PRIMARY KEY,
  backup_id TEXT NOT NULL UNIQUE,
  batch_id TEXT NOT NULL,
  backup_path TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  restored INTEGER NOT NULL DEFAULT 0 CHECK (restored IN (0, 1))
);
CREATE INDEX idx_backups_batch ON batch_backups(batch_id);
CREATE INDEX idx_backups_expires ON batch_backups(expires_at);

-- AUTOINCREMENT: seq is the global resume point for WebSocket/SSE clients (docs/outcomes.md#exit-codes), so it must
-- never be reused, even after purge deletes the newest rows.
CREATE TABLE batch_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  batch_id TEXT,
  at TEXT NOT NULL,
  data_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX idx_events_batch ON batch_events(batch_id);
CREATE INDEX idx_events_at ON batch_events(at);
`;

export const initial: Migration = { version: 1, name: 'initial', sql };

// Migration 8: the engine's queue (docs/lifecycle.md#the-queue). A submitted batch is a `queued` row of
// batch_operations plus the batch itself here, so it survives a restart; the entry goes when a worker
// claims it. event_horizon remembers the highest seq a purge deleted, so a subscriber resuming from
// before it is told of the gap instead of getting a silent hole (docs/events.md#replay-and-gaps).
import type { Migration } from './migration.js';

export const batchQueue: Migration = {
  version: 8,
  name: 'batch-queue',
  sql: `
CREATE TABLE batch_queue (
  batch_id TEXT PRIMARY KEY REFERENCES batch_operations (batch_id) ON DELETE CASCADE,
  batch_json TEXT NOT NULL,
  run_json TEXT NOT NULL
);
CREATE TABLE event_horizon (id INTEGER PRIMARY KEY CHECK (id = 1), purged_through INTEGER NOT NULL);
`,
};

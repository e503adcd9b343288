// Migration 4: when the retention pass last ran, so runs start the next one at most once a day
// (one row, read by every run: cheaper than searching the event log for the last purge).
import type { Migration } from './migration.js';

export const retention: Migration = {
  version: 4,
  name: 'retention',
  sql: 'CREATE TABLE retention_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_pass_at TEXT NOT NULL);',
};

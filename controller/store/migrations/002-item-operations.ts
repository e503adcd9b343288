// Migration 2: a failed or skipped item keeps its concrete operation (with content), so
// `batchctl retry` can re-run exactly what failed.
import type { Migration } from './migration.js';

export const itemOperations: Migration = {
  version: 2,
  name: 'item-operations',
  sql: 'ALTER TABLE batch_items ADD COLUMN op_json TEXT;',
};

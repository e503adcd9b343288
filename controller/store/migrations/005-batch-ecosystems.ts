// Migration 5: the ecosystems a batch touched besides its own (docs/control-file.md#slis), so each one's
// SLIs count it. NULL (every older row): the batch's own ecosystem only.
import type { Migration } from './migration.js';

export const batchEcosystems: Migration = {
  version: 5,
  name: 'batch-ecosystems',
  sql: 'ALTER TABLE batch_operations ADD COLUMN other_ecosystems TEXT;',
};

// Migration 7: each ecosystem's share of a multi-ecosystem batch (docs/control-file.md#multi-ecosystem-outcomes),
// so a failed batch counts against the SLIs of the ecosystems whose operations failed only. NULL (one
// ecosystem, or every older row): the batch's counts for each ecosystem it touched.
import type { Migration } from './migration.js';

export const ecosystemOutcomes: Migration = {
  version: 7,
  name: 'ecosystem-outcomes',
  sql: 'ALTER TABLE batch_operations ADD COLUMN ecosystem_outcomes TEXT;',
};

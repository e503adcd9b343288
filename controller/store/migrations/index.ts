// Every schema migration in order; the newest version is what this build of batchctl understands.
import { initial } from './001-initial.js';
import { itemOperations } from './002-item-operations.js';
import { controlAudit } from './003-control-audit.js';
import { retention } from './004-retention.js';
import { batchEcosystems } from './005-batch-ecosystems.js';
import { batchOwners } from './006-batch-owners.js';
import { ecosystemOutcomes } from './007-ecosystem-outcomes.js';
import { batchQueue } from './008-batch-queue.js';
import { batchRollbacks } from './009-batch-rollbacks.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

export const MIGRATIONS: readonly Migration[] = [
  initial,
  itemOperations,
  controlAudit,
  retention,
  batchEcosystems,
  batchOwners,
  ecosystemOutcomes,
  batchQueue,
  batchRollbacks,
];

export const LATEST_VERSION: number = MIGRATIONS.at(-1)?.version ?? 0;

// engine/: the one API every facade uses. Facades subscribe to events; the engine never calls them.
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { defaultControlFile, loadControlFile, renderControlFile } from '../control/index.js';
import {
  CONTROL_FILE_NAME, isBatchId, type Batch, type BatchEvent, type BatchResult, type ValidationResult,
} from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { acquireRepoLock } from '../journal/index.js';
import type { BatchRow, ItemRow } from '../store/index.js';
import { validateBatch } from '../validate/index.js';
import { controlStatus, type ControlStatus } from './control/control-status.js';
import { resumeBatches, stopBatches, type ControlChangeResult } from './control/stop-resume.js';
import type { EngineDeps } from './engine-deps.js';
import type { EventListener } from './event-bus.js';
import { recoverPending, type RecoveryReport } from './recover.js';
import { reindex, type ReindexReport } from './reindex.js';
import { purge, type PurgeOptions, type PurgeReport } from './retention/purge.js';
import { retryBatch, type RetryOptions } from './retry-batch.js';
import { rollbackBatch, type RollbackOptions, type RollbackResult } from './rollback/rollback-batch.js';
import { resultFromRow } from './run/result-from-row.js';
import { runBatch } from './run/run-batch.js';
import type { RunOptions } from './run/run-context.js';

export { createEventBus, type EventBus, type EventListener } from './event-bus.js';
export type { EngineDeps } from './engine-deps.js';
export type { BatchRow, ItemRow } from '../store/index.js';
export type { RecoveryReport } from './recover.js';
export type { ReindexReport } from './reindex.js';
export type { PurgeOptions, PurgeReport } from './retention/purge.js';
export type { RetryOptions } from './retry-batch.js';
export type { RunOptions } from './run/run-context.js';
export type { RollbackOptions, RollbackResult } from './rollback/rollback-batch.js';
export type { ControlChangeResult } from './control/stop-resume.js';
export type { ControlStatus } from './control/control-status.js';

export interface StopOptions {
  reason: string;
  ecosystem?: string;
  incidentUrl?: string;
  expectedResume?: string;
  by: string;
}

export interface BatchDetails {
  batch: BatchRow;
  result: BatchResult;
  items: ItemRow[];
  items_total: number;
}

export interface Engine {
  readonly root: string;
  run(batch: Batch, options?: RunOptions): Promise<BatchResult>;
  validate(batch: Batch): Promise<ValidationResult>;
  status(batchId: string, opts?: { itemLimit?: number; itemOffset?: number }): BatchDetails;
  list(opts: { limit: number; offset?: number }): BatchRow[];
  recover(): Promise<RecoveryReport | null>;
  /** revert a committed batch as a new batch (SPEC §6); conflicts throw ROLLBACK_CONFLICT */
  rollback(batchId: string, options?: RollbackOptions): Promise<RollbackResult>;
  /** re-run the operations of a batch that did not land; a second retry returns the first unless `again` */
  retry(batchId: string, options?: RetryOptions): Promise<BatchResult>;
  /**
   * delete what the control file's retention windows let go: finished batches' rows and events
   * (metrics_retention_days), backup refs (backup_retention_days), retry content with its batch
   * @example const report = await engine.purge({ dryRun: true });
   */
  purge(options?: PurgeOptions): Promise<PurgeReport>;
  /** rebuild the rows of committed batches from git history into this database */
  reindex(): Promise<ReindexReport>;
  /** write the default control file; refuses to overwrite unless `force` */
  init(opts?: { force?: boolean }): Promise<{ file: string; created: boolean }>;
  /** emergency stop (or one ecosystem's): written at once, then committed (Control-Change: stop) */
  stop(options: StopOptions): Promise<ControlChangeResult>;
  /** lift the global stop, or one ecosystem's */
  resume(options: { ecosystem?: string; by: string }): Promise<ControlChangeResult>;
  /** stop, breakers, budget and SLIs (over the last `sliDays` days) at a glance */
  controlStatus(opts?: { sliDays?: number }): Promise<ControlStatus>;
  /** the audit log: stored events after `afterSeq`, oldest first */
  events(opts: { limit: number; afterSeq?: number; batchId?: string }): BatchEvent[];
  on(listener: EventListener): () => void;
  close(): void;
}

/**
 * @example
 * const engine = createEngine(deps);
 * const result = await engine.run(parseBatchJson(text), { source: 'cli' });
 */
export function createEngine(deps: EngineDeps): Engine {
  const { git, store, bus } = deps;
  return {
    root: git.root,
    run: (batch, options) => runBatch(deps, batch, options),
    async validate(batch) {
      const control = await loadControlFile(git.root);
      return (await validateBatch({ batch, git, control, describe: true })).result;
    },
    status(batchId, { itemLimit = 100, itemOffset = 0 } = {}) {
      if (!isBatchId(batchId)) {
        throw new BatchctlError({ code: 'BATCH_ID_INVALID', message: `"${batchId}" is not a batch id`, hint: 'ids look like b-20261122-101500-7k3m9q', data: { batch_id: batchId } });
      }
      const row = store.batches.get(batchId);
      if (!row) throw new BatchctlError({ code: 'BATCH_NOT_FOUND', message: `no batch ${batchId} in ${store.file}`, hint: 'list batches with `batchctl list`', data: { batch_id: batchId } });
      return {
        batch: row,
        result: resultFromRow(row, store),
        items: store.items.list(batchId, { limit: itemLimit, offset: itemOffset }),
        items_total: store.items.count(batchId),
      };
    },
    list: (opts) => store.batches.list(opts),
    rollback: (batchId, options) => rollbackBatch(deps, batchId, options),
    retry: (batchId, options) => retryBatch(deps, batchId, options),
    purge: (options) => purge(deps, options),
    async reindex() {
      const release = await acquireRepoLock({ stateDir: deps.stateDir });
      try {
        return await reindex(deps);
      } finally {
        await release();
      }
    },
    async recover() {
      const release = await acquireRepoLock({ stateDir: deps.stateDir });
      try {
        return await recoverPending(deps);
      } finally {
        await release();
      }
    },
    async init({ force = false } = {}) {
      const file = join(git.root, CONTROL_FILE_NAME);
      const exists = await access(file).then(() => true, () => false);
      if (exists && !force) {
        await loadControlFile(git.root); // an existing but broken file is an error worth hearing about
        return { file, created: false };
      }
      await writeFile(file, renderControlFile(defaultControlFile()));
      return { file, created: true };
    },
    stop: (options) => stopBatches(deps, options),
    resume: (options) => resumeBatches(deps, options),
    controlStatus: (opts) => controlStatus(deps, opts),
    events: ({ limit, afterSeq = 0, batchId }) => store.events.list({ limit, afterSeq, ...(batchId ? { batchId } : {}) }),
    on: (listener) => bus.on(listener),
    close: () => store.close(),
  };
}

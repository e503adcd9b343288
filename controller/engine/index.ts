// engine/: the one API every facade uses. Facades subscribe to events; the engine never calls them.
import { loadControlFile } from '../control/index.js';
import {
  isBatchDocument,
  isBatchId,
  parseBatchDocument,
  type Batch,
  type BatchDocument,
  type BatchEvent,
  type BatchResult,
  type ValidationResult,
} from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { acquireRepoLock } from '../journal/index.js';
import type { BatchRow, ItemRow } from '../store/index.js';
import { validateBatch } from '../validate/index.js';
import { controlStatus, type ControlStatus } from './control/control-status.js';
import { initControl, type InitResult } from './control/init-control.js';
import { recordPendingFailures, type PendingFailuresReport } from './control/record-pending-failures.js';
import { settingsWarnings } from './control/settings-removed.js';
import { resumeBatches, stopBatches, type ControlChangeResult } from './control/stop-resume.js';
import type { EngineDeps } from './engine-deps.js';
import type { EventListener } from './event-bus.js';
import { findLegacyBatch, type LegacyCommit } from './legacy-batch.js';
import { recoverPending, type RecoveryReport } from './recover.js';
import { reindex, type ReindexReport } from './reindex.js';
import { purge, type PurgeOptions, type PurgeReport } from './retention/purge.js';
import { retryBatch, type RetryOptions } from './retry-batch.js';
import { rollbackBatch, type RollbackOptions, type RollbackResult } from './rollback/rollback-batch.js';
import { resultFromRow } from './run/result-from-row.js';
import { runBatch } from './run/run-batch.js';
import type { RunOptions } from './run/run-context.js';
import { createWorkTracker } from './work-tracker.js';

export { createEventBus, type EventBus, type EventListener } from './event-bus.js';
export type { EngineDeps } from './engine-deps.js';
export type { BatchRow, ItemRow } from '../store/index.js';
export type { RecoveryReport } from './recover.js';
export type { ReindexReport } from './reindex.js';
export type { LegacyCommit } from './legacy-batch.js';
export type { PurgeOptions, PurgeReport } from './retention/purge.js';
export type { RetryOptions } from './retry-batch.js';
export type { RunOptions } from './run/run-context.js';
export type { RollbackOptions, RollbackResult } from './rollback/rollback-batch.js';
export type { ControlChangeResult } from './control/stop-resume.js';
export type { ControlStatus } from './control/control-status.js';
export type { InitResult } from './control/init-control.js';
export type { PendingFailuresReport } from './control/record-pending-failures.js';

export interface StopOptions {
  reason: string;
  ecosystem?: string;
  incidentUrl?: string;
  expectedResume?: string;
  /** who stops; default: the engine's actor ($GITHUB_ACTOR, else the login name) */
  by?: string;
  /** false: commit locally only (`--no-push`); docs/lifecycle.md#gitops-push */
  push?: boolean;
}

export interface ResumeOptions {
  ecosystem?: string;
  by?: string;
  /** false: commit locally only (`--no-push`); docs/lifecycle.md#gitops-push */
  push?: boolean;
}

export interface InitOptions {
  /** rewrite an existing control file (and its schema) with the defaults */
  force?: boolean;
  /** false: commit locally only (`--no-push`); docs/lifecycle.md#gitops-push */
  push?: boolean;
}

export interface BatchDetails {
  batch: BatchRow;
  result: BatchResult;
  items: ItemRow[];
  items_total: number;
}

/**
 * Every method that commits (run, rollback, retry, stop, resume, init, recordPendingFailures) follows one rule
 * (docs/lifecycle.md#gitops-push): publish to the branch's upstream when it has one, unless its
 * option `push` is false; earlier unpublished batch commits travel with their tags.
 */
export interface Engine {
  readonly root: string;
  /**
   * Run a batch: a typed Batch or a document as received (text, a chunk stream, a JSON value). The
   * engine fills `requested_by`, honours `options.dry_run`, and always resolves to a terminal,
   * recorded result; only a document that is not a batch throws (INPUT_INVALID).
   */
  run(batch: Batch | BatchDocument, options?: RunOptions): Promise<BatchResult>;
  /** judge a batch (or a document) against the repository as it is; changes nothing */
  validate(batch: Batch | BatchDocument): Promise<ValidationResult>;
  /** parse a document (JSON or NDJSON, detected) into a Batch; INPUT_INVALID names field and line */
  parse(document: BatchDocument): Promise<Batch>;
  status(batchId: string, opts?: { itemLimit?: number; itemOffset?: number }): BatchDetails;
  list(opts: { limit: number; offset?: number }): BatchRow[];
  /** the one commit of a legacy `batch_id:` id, on any branch; BATCH_AMBIGUOUS lists them when it repeats */
  legacy(args: { id: string; commit?: string | undefined }): Promise<LegacyCommit>;
  recover(): Promise<RecoveryReport | null>;
  /**
   * commit the breaker failures earlier runs could not record (kept pending: a diverged branch, a
   * crash journal kept for recover; docs/control-file.md#a-failure-not-yet-recorded), as the next run
   * would; `batchctl recover` runs it after `recover()`. `push: false`: commit locally only
   * @example const { recorded, pending } = await engine.recordPendingFailures({ push: false });
   */
  recordPendingFailures(options?: { push?: boolean }): Promise<PendingFailuresReport>;
  /** revert a committed batch as a new batch (docs/lifecycle.md#rollback); conflicts throw ROLLBACK_CONFLICT */
  rollback(batchId: string, options?: RollbackOptions): Promise<RollbackResult>;
  /** re-run the operations of a batch that did not land; a second retry returns the first unless `again` */
  retry(batchId: string, options?: RetryOptions): Promise<BatchResult>;
  /**
   * delete what the control file's retention windows let go: finished batches' rows and events
   * (metrics_retention_days), backup refs (backup_retention_days), retry content with its batch
   * @example const report = await engine.purge({ dryRun: true });
   */
  purge(options?: PurgeOptions): Promise<PurgeReport>;
  /** rebuild the rows of committed batches from git history into this database; `fetch`: unshallow a shallow clone first */
  reindex(options?: { fetch?: boolean }): Promise<ReindexReport>;
  /**
   * write the default control file and its JSON Schema, and commit both (Control-Change: init), or
   * say why they must be committed by hand; leaves a valid file alone unless `force`
   */
  init(opts?: InitOptions): Promise<InitResult>;
  /** emergency stop (or one ecosystem's): written at once, then committed (Control-Change: stop) */
  stop(options: StopOptions): Promise<ControlChangeResult>;
  /** lift the global stop, or one ecosystem's */
  resume(options: ResumeOptions): Promise<ControlChangeResult>;
  /** stop, breakers, budget and SLIs (over the last `sliDays` days) at a glance */
  controlStatus(opts?: { sliDays?: number }): Promise<ControlStatus>;
  /**
   * the warnings every command shows: settings of batch-control.json another writer's commit removed
   * (docs/control-file.md#other-writers); cached by HEAD, so no git process on an unmoved HEAD; never throws
   * @example for (const line of await engine.settingsWarnings()) console.warn(line);
   */
  settingsWarnings(): Promise<string[]>;
  /** the audit log: stored events after `afterSeq`, oldest first */
  events(opts: { limit: number; afterSeq?: number; batchId?: string }): BatchEvent[];
  on(listener: EventListener): () => void;
  /** abort running work (a run rolls back after its current operation), wait for it, then close */
  close(): Promise<void>;
}

/**
 * @example
 * const engine = createEngine(deps);
 * const result = await engine.run({ document: text }, { source: 'cli', identity: 'token:deploy-bot' });
 */
export function createEngine(deps: EngineDeps): Engine {
  const { git, store, bus } = deps;
  const work = createWorkTracker();
  /** every run follows both its caller's signal and the engine's own (aborted by close) */
  const withEngineSignal = (options: RunOptions = {}): RunOptions => ({
    ...options,
    signal: options.signal ? AbortSignal.any([options.signal, work.signal]) : work.signal,
  });
  const actor = deps.actor ?? 'unknown';
  return {
    root: git.root,
    run: (batch, options) => work.track(() => runBatch(deps, batch, withEngineSignal(options))),
    validate: (input) =>
      work.track(async () => {
        const batch = isBatchDocument(input) ? await parseBatchDocument(input) : input;
        const control = await loadControlFile(git.root);
        return (await validateBatch({ batch, git, control, describe: true })).result;
      }),
    parse: (document) => parseBatchDocument(document),
    status(batchId, { itemLimit = 100, itemOffset = 0 } = {}) {
      if (!isBatchId(batchId)) {
        throw new BatchctlError({
          code: 'BATCH_ID_INVALID',
          message: `"${batchId}" is not a batch id`,
          hint: 'ids look like b-20261122-101500-7k3m9q',
          data: { batch_id: batchId },
        });
      }
      const row = store.batches.get(batchId);
      if (!row)
        throw new BatchctlError({
          code: 'BATCH_NOT_FOUND',
          message: `no batch ${batchId} in ${store.file}`,
          hint: 'list batches with `batchctl list`',
          data: { batch_id: batchId },
        });
      return {
        batch: row,
        result: resultFromRow(row, store),
        items: store.items.list(batchId, { limit: itemLimit, offset: itemOffset }),
        items_total: store.items.count(batchId),
      };
    },
    list: (opts) => store.batches.list(opts),
    legacy: (args) => work.track(() => findLegacyBatch(git, args)),
    rollback: (batchId, options) => work.track(() => rollbackBatch(deps, batchId, options)),
    retry: (batchId, options) => work.track(() => retryBatch(deps, batchId, options)),
    purge: (options) => work.track(() => purge(deps, options)),
    async reindex(options) {
      const release = await acquireRepoLock({ stateDir: deps.stateDir });
      try {
        return await reindex(deps, options);
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
    async recordPendingFailures({ push = true } = {}) {
      const release = await acquireRepoLock({ stateDir: deps.stateDir });
      try {
        return await recordPendingFailures(deps, { push });
      } finally {
        await release();
      }
    },
    init: ({ force = false, push = true } = {}) => work.track(() => initControl(deps, { force, push })),
    stop: (options) => work.track(() => stopBatches(deps, { ...options, by: options.by ?? actor })),
    resume: (options) => work.track(() => resumeBatches(deps, { ...options, by: options.by ?? actor })),
    controlStatus: (opts) => controlStatus(deps, opts),
    settingsWarnings: () => settingsWarnings(deps),
    events: ({ limit, afterSeq = 0, batchId }) => store.events.list({ limit, afterSeq, ...(batchId ? { batchId } : {}) }),
    on: (listener) => bus.on(listener),
    async close() {
      await work.close();
      store.close();
      await git.close(); // ends git's object reader (a `cat-file --batch` process)
    },
  };
}

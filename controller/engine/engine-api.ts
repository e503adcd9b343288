// The engine's API: every facade (CLI, HTTP, WebSocket, MCP, UDP, dashboard) calls these methods.
import type {
  Batch,
  BatchDocument,
  BatchEvent,
  BatchResult,
  BatchStatus,
  ItemStatus,
  ProgressData,
  ValidationResult,
  VerifyReport,
} from '../domain/index.js';
import type { BatchRow, ItemRow, RollbackRow } from '../store/index.js';
import type { BatchCommit } from './batch-commit.js';
import type { BatchStats } from './batch-stats.js';
import type { ControlStatus } from './control/control-status.js';
import type { InitResult } from './control/init-control.js';
import type { PendingFailuresReport } from './control/record-pending-failures.js';
import type { ControlChangeResult } from './control/stop-resume.js';
import type { EventListener } from './event-bus.js';
import type { Health } from './health.js';
import type { LegacyCommit } from './legacy-batch.js';
import type { SubmitOptions, Submitted } from './queue/batch-queue.js';
import type { CancelResult } from './queue/cancel-batch.js';
import type { RecoveryReport } from './recover.js';
import type { ReindexReport } from './reindex.js';
import type { PurgeOptions, PurgeReport } from './retention/purge.js';
import type { RetryOptions } from './retry-batch.js';
import type { RollbackOptions, RollbackResult } from './rollback/rollback-batch.js';
import type { ProposeOptions } from './run/propose-batch.js';
import type { RunOptions } from './run/run-context.js';
import type { Sink, SubscribeOptions } from './subscribe.js';
import type { VerifyOptions } from './verify/verify-batches.js';

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
  /** while it runs in this engine: the latest counts (the row's are written when it ends) */
  progress?: ProgressData;
  /** while it runs in this engine: when it started (its batch_started event's `at`; created_at is when it was queued) */
  started_at?: string;
  /** the rollbacks asked of this batch, oldest first, each with its reason (the revert batch's row has its outcome) */
  rollbacks: RollbackRow[];
  /** when this batch is a revert batch: the rollback it ran */
  rollback_of: RollbackRow | null;
}

export interface ListOptions {
  limit: number;
  offset?: number;
  status?: BatchStatus;
  ecosystem?: string;
  /** the next page: the batch_id of the last row of the page before (stable while batches are added) */
  cursor?: string;
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
  /**
   * `run --pr`: commit the batch on a new branch batch/<id>, push it there, open its pull request;
   * status `proposed` until reindex finds the commit on the base branch (docs/github-api.md#pull-requests).
   * GITHUB_OFF without GitHub access.
   * @example const result = await engine.propose(batch, { autoMerge: true }); result.github?.pull_request?.url
   */
  propose(batch: Batch | BatchDocument, options?: ProposeOptions): Promise<BatchResult>;
  /**
   * Queue a batch (docs/lifecycle.md#the-queue) and return its id as soon as it is parsed and stored;
   * INPUT_INVALID throws. Batches run one at a time, highest priority first, then oldest.
   */
  submit(batch: Batch | BatchDocument, options?: SubmitOptions): Promise<Submitted>;
  /** the final result of a batch (queued or running here, or already finished) */
  wait(batchId: string): Promise<BatchResult>;
  /** a queued batch is cancelled at once; a running one (batch, rollback, retry) stops after its current operation */
  cancel(batchId: string, reason: string): CancelResult;
  /** also run the batches queued in the store by earlier processes (a server calls it once) */
  start(): void;
  /** stored events after `after_seq`, then live ones, with no gap and no duplicate (docs/events.md#subscribing) */
  subscribe(options: SubscribeOptions, sink: Sink): () => void;
  /** the highest seq stored so far: `subscribe({after_seq: engine.lastSeq()})` follows live events only */
  lastSeq(): number;
  /** queue depth, the running batch, a pending crash journal, the lock holder */
  health(): Promise<Health>;
  /** judge a batch (or a document) against the repository as it is; changes nothing. `source` as RunOptions.source (its caps) */
  validate(batch: Batch | BatchDocument, options?: { source?: string }): Promise<ValidationResult>;
  /** parse a document (JSON or NDJSON, detected) into a Batch; INPUT_INVALID names field and line */
  parse(document: BatchDocument): Promise<Batch>;
  /** `itemStatus`: only the items in that status (items_total counts them too) */
  status(batchId: string, opts?: { itemLimit?: number; itemOffset?: number; itemStatus?: ItemStatus }): BatchDetails;
  /**
   * Differs whenever the store changed since (by this engine or another process): a read a facade
   * cached under one stamp is still what status() or list() would answer while the stamp is the same,
   * except for live `progress`, which is not stored.
   * @example if (cached?.stamp === engine.changeStamp()) return cached.body;
   */
  changeStamp(): string;
  list(opts: ListOptions): BatchRow[];
  /**
   * the dashboard's charts: batches per hour by status and success per ecosystem over the last `days` days (aggregated in SQLite)
   * @example const { hours, ecosystems } = engine.batchStats({ days: 7 });
   */
  batchStats(opts: { days: number }): BatchStats;
  /**
   * a batch's commit: id, tag, subject, trailers and lines added/deleted per path; nulls when it made none
   * @example const { commit, files } = await engine.batchCommit('b-20261122-101500-7k3m9q');
   */
  batchCommit(batchId: string): Promise<BatchCommit>;
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
  /**
   * drift (docs/lifecycle.md#drift): files the batch (or every committed batch) wrote whose blob no
   * longer matches, changed by a later commit that is not batchctl's, or in the work tree; changes nothing
   * @example const { drift } = await engine.verify({ batchId });
   */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
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

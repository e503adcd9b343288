// engine/: the one API every facade uses. Facades subscribe to events; the engine never calls them.
import { loadControlFile } from '../control/index.js';
import {
  isBatchDocument,
  isBatchId,
  newBatchId,
  parseBatchDocument,
  type Batch,
  type BatchDocument,
  type BatchResult,
  type GitHubOutcome,
} from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { acquireRepoLock } from '../journal/index.js';
import type { BatchRow } from '../store/index.js';
import { validateBatch } from '../validate/index.js';
import { batchCommit } from './batch-commit.js';
import { batchStats } from './batch-stats.js';
import { controlStatus } from './control/control-status.js';
import { initControl } from './control/init-control.js';
import { recordPendingFailures } from './control/record-pending-failures.js';
import { settingsWarnings } from './control/settings-removed.js';
import { resumeBatches, stopBatches } from './control/stop-resume.js';
import type { Engine } from './engine-api.js';
import type { EngineDeps } from './engine-deps.js';
import { health } from './health.js';
import { findLegacyBatch } from './legacy-batch.js';
import { trackProgress } from './live-progress.js';
import { createBatchQueue, heldByLiveProcess } from './queue/batch-queue.js';
import { cancelBatch, cancelQueued } from './queue/cancel-batch.js';
import { recoverPending } from './recover.js';
import { reindex } from './reindex.js';
import { purge } from './retention/purge.js';
import { retryBatch } from './retry-batch.js';
import { requireBatchId } from './rollback/find-batch-commits.js';
import { proposeRollback } from './rollback/propose-rollback.js';
import { rollbackBatch, type RollbackOptions } from './rollback/rollback-batch.js';
import { resultFromRow } from './run/result-from-row.js';
import { proposeBatch } from './run/propose-batch.js';
import { runBatch } from './run/run-batch.js';
import { withCallerDefaults } from './run/caller-defaults.js';
import type { RunOptions } from './run/run-context.js';
import { subscribe } from './subscribe.js';
import { verifyBatches } from './verify/verify-batches.js';
import { createWorkTracker } from './work-tracker.js';
import { createGitHubReporter, mergeGitHubOutcome } from './github/github-reporter.js';
import { openIncidentUrl } from './github/incident-issue.js';

export { createEventBus, type EventBus, type EventListener } from './event-bus.js';
export type { ProposeOptions } from './run/propose-batch.js';
export type { BatchDetails, Engine, InitOptions, ListOptions, ResumeOptions, StopOptions } from './engine-api.js';
export type { EngineDeps } from './engine-deps.js';
export { DRIFT_LABEL, DRIFT_MARKER, syncDriftIssue } from './github/drift-issue.js';
export type { GitHubPort } from './github/github-port.js';
export type { BatchRow, ItemRow, RollbackRow } from '../store/index.js';
export type { Health } from './health.js';
export type { SubmitOptions, Submitted } from './queue/batch-queue.js';
export type { CancelResult } from './queue/cancel-batch.js';
export type { Sink, SubscribeOptions, SubscriptionMessage } from './subscribe.js';
export type { RecoveryReport } from './recover.js';
export type { ReindexReport } from './reindex.js';
export type { LegacyCommit } from './legacy-batch.js';
export type { PurgeOptions, PurgeReport } from './retention/purge.js';
export type { RetryOptions } from './retry-batch.js';
export type { RunOptions } from './run/run-context.js';
export type { VerifyOptions } from './verify/verify-batches.js';
export type { RollbackOptions, RollbackResult } from './rollback/rollback-batch.js';
export type { ControlChangeResult } from './control/stop-resume.js';
export type { ControlStatus } from './control/control-status.js';
export type { BatchCommit } from './batch-commit.js';
export type { BatchStats } from './batch-stats.js';
export type { InitResult } from './control/init-control.js';
export type { PendingFailuresReport } from './control/record-pending-failures.js';

function notFound(batchId: string, file: string): BatchctlError {
  return new BatchctlError({
    code: 'BATCH_NOT_FOUND',
    message: `no batch ${batchId} in ${file}`,
    hint: 'list batches with `batchctl list`',
    data: { batch_id: batchId },
  });
}

/**
 * @example
 * const engine = createEngine(deps);
 * const result = await engine.run({ document: text }, { source: 'cli', identity: 'token:deploy-bot' });
 */
export function createEngine(given: EngineDeps): Engine {
  const work = createWorkTracker();
  const queue = createBatchQueue({
    deps: given,
    engineSignal: work.signal,
    onAbort: (ticket, reason) => {
      const why = reason instanceof BatchctlError ? reason.detail : 'the caller cancelled';
      if (ticket.started || !cancelQueued(given, queue, ticket.batchId, why)) ticket.controller.abort(reason);
    },
  });
  // Everything that takes the repository lock waits for its turn in the lane, not for the lock.
  const deps: EngineDeps = { ...given, serialize: (job) => queue.lane.exclusive(job) };
  const { git, store, bus } = deps;
  const live = trackProgress(bus);
  const inLane = <T>(job: () => Promise<T>): Promise<T> => work.track(() => queue.lane.exclusive(job));
  /** the stored row of a batch: BATCH_ID_INVALID, BATCH_NOT_FOUND */
  const rowOf = (batchId: string): BatchRow => {
    if (!isBatchId(batchId)) {
      throw new BatchctlError({
        code: 'BATCH_ID_INVALID',
        message: `"${batchId}" is not a batch id`,
        hint: 'ids look like b-20261122-101500-7k3m9q',
        data: { batch_id: batchId },
      });
    }
    const row = store.batches.get(batchId);
    if (!row) throw notFound(batchId, store.file);
    return row;
  };
  const actor = deps.actor ?? 'unknown';

  async function wait(batchId: string) {
    requireBatchId(batchId);
    const ticket = queue.ticket(batchId);
    if (ticket) return ticket.done;
    const row = store.batches.get(batchId);
    if (!row) throw notFound(batchId, store.file);
    // Queued in the store and not held by a live process's run(): this engine runs it once started.
    if (row.status === 'queued' && store.queue.ids().includes(batchId) && !heldByLiveProcess(store.queue.peek(batchId)))
      return queue.adopt(batchId).done;
    if (['preflight', 'validating', 'running', 'committing', 'queued'].includes(row.status)) {
      throw new BatchctlError({
        code: 'BATCH_RUNNING_ELSEWHERE',
        message: `batch ${batchId} is ${row.status} in another process`,
        hint: 'wait for it through that process, or poll `status`',
        data: { batch_id: batchId, status: row.status },
      });
    }
    return resultFromRow(row, store);
  }

  const reporter = deps.github ? createGitHubReporter({ port: deps.github, bus, logger: deps.logger }) : null;
  /** What the run did on GitHub (status, incidents), waited for so the caller can say it. */
  const withGitHub = async <R extends { github?: GitHubOutcome | undefined }>(result: R): Promise<R> => {
    if (!reporter) return result;
    const done = await reporter.settle();
    return Object.keys(done).length === 0 ? result : { ...result, github: mergeGitHubOutcome(result.github, done) };
  };

  const run = (input: Batch | BatchDocument, options: RunOptions = {}): Promise<BatchResult> =>
    work.track(async () => {
      const parsed = isBatchDocument(input) ? await parseBatchDocument(input) : input;
      // A dry run changes nothing and is not queued; it still waits for its turn (it reads under the lock).
      if (withCallerDefaults(deps, parsed, options).options.dryRun) {
        const signal = options.signal ? AbortSignal.any([options.signal, work.signal]) : work.signal;
        return queue.lane.exclusive(() => runBatch(deps, parsed, { ...options, signal }));
      }
      // Not durable: a foreground run whose caller is gone must not run later.
      const submitted = await queue.submit(parsed, { ...options, durable: false });
      const result = await withGitHub(await wait(submitted.batch_id));
      return submitted.idempotent_replay ? { ...result, idempotent_replay: true } : result;
    });

  return {
    root: git.root,
    run,
    propose: (input, options = {}) => proposeBatch({ deps, run }, input, options),
    submit: (input, options) => work.track(() => queue.submit(input, options)),
    wait,
    cancel: (batchId, reason) => cancelBatch({ deps, queue, batchId, reason }),
    start: () => queue.start(),
    subscribe: (options, sink) => subscribe({ store, bus, logger: deps.logger }, options, sink),
    lastSeq: () => store.events.lastSeq(),
    health: () => health(deps, { running: queue.running(), live }),
    validate: (input, { source } = {}) =>
      work.track(async () => {
        const batch = isBatchDocument(input) ? await parseBatchDocument(input) : input;
        const control = await loadControlFile(git.root);
        return (await validateBatch({ batch, git, control, describe: true, source })).result;
      }),
    parse: (document) => parseBatchDocument(document),
    status(batchId, { itemLimit = 100, itemOffset = 0, itemStatus } = {}) {
      const row = rowOf(batchId);
      const progress = live.of(batchId);
      const startedAt = live.startedAt(batchId);
      const result = resultFromRow(row, store);
      return {
        batch: row,
        // While it runs, the counts so far: the row's are written when it ends.
        result: progress ? { ...result, success_count: progress.completed, failure_count: progress.failed } : result,
        // itemLimit 0 (GET /api/batches/:id, the record only): no query at all.
        items:
          itemLimit === 0
            ? []
            : store.items.list(batchId, { limit: itemLimit, offset: itemOffset, ...(itemStatus ? { status: itemStatus } : {}) }),
        items_total: store.items.count(batchId, itemStatus ? { status: itemStatus } : {}),
        ...(progress ? { progress } : {}),
        ...(startedAt ? { started_at: startedAt } : {}),
        rollbacks: store.rollbacks.ofBatch(batchId),
        rollback_of: store.rollbacks.byRollback(batchId) ?? null,
      };
    },
    changeStamp: () => store.changeStamp(),
    list: ({ cursor, ...opts }) => store.batches.list({ ...opts, ...(cursor === undefined ? {} : { after: cursor }) }),
    batchStats: (opts) => batchStats(deps, opts),
    batchCommit: (batchId) => work.track(() => batchCommit(deps, rowOf(batchId))),
    legacy: (args) => work.track(() => findLegacyBatch(git, args)),
    rollback: (batchId, { pr, ...options } = {}) =>
      work.track(async () => {
        const job = (runId: string, given: RollbackOptions) =>
          queue.job(runId, (signal) => rollbackBatch(deps, batchId, { ...given, signal, runId }));
        const result =
          pr && !options.dryRun
            ? await proposeRollback({ deps, job }, batchId, { ...options, pr })
            : await job(newBatchId(deps.now()), options);
        return withGitHub(result);
      }),
    retry: (batchId, options = {}) =>
      work.track(() => {
        const runId = newBatchId(deps.now());
        return queue.job(runId, (signal) => retryBatch(deps, batchId, { ...options, signal, runId }));
      }),
    purge: (options) => inLane(() => purge(deps, options)),
    // Read-only, but after the batch running here (its half-applied tree is not drift).
    verify: (options) => inLane(() => verifyBatches(deps, options)),
    reindex: (options) =>
      inLane(async () => {
        const release = await acquireRepoLock({ stateDir: deps.stateDir });
        try {
          return await reindex(deps, options);
        } finally {
          await release();
        }
      }),
    recover: () =>
      inLane(async () => {
        const release = await acquireRepoLock({ stateDir: deps.stateDir });
        try {
          return await recoverPending(deps);
        } finally {
          await release();
        }
      }),
    recordPendingFailures: ({ push = true } = {}) =>
      inLane(async () => {
        const release = await acquireRepoLock({ stateDir: deps.stateDir });
        try {
          return await recordPendingFailures(deps, { push });
        } finally {
          await release();
        }
      }),
    init: ({ force = false, push = true } = {}) => inLane(() => initControl(deps, { force, push })),
    stop: (options) =>
      work.track(async () => {
        // With GitHub, a stop given no incident link links the open incident issue (docs/github-api.md#incident-issues).
        const found = !options.incidentUrl && deps.github ? await openIncidentUrl(deps.github, options.ecosystem, deps.logger) : null;
        return stopBatches(deps, { ...options, ...(found ? { incidentUrl: found } : {}), by: options.by ?? actor });
      }),
    resume: (options) => work.track(() => resumeBatches(deps, { ...options, by: options.by ?? actor })),
    controlStatus: (opts) => controlStatus(deps, opts),
    settingsWarnings: () => settingsWarnings(deps),
    events: ({ limit, afterSeq = 0, batchId }) => store.events.list({ limit, afterSeq, ...(batchId ? { batchId } : {}) }),
    on: (listener) => bus.on(listener),
    async close() {
      await reporter?.close(); // the GitHub calls of the last run finish before the store closes
      const closing = work.close(); // aborts at once: the running batch stops after its current operation
      await queue.close(); // queued batches stay queued in the store; their waits end with ENGINE_CLOSED
      await closing;
      live.close();
      try {
        store.close();
      } catch (error) {
        // Every transaction was synced to the write-ahead log when it committed (synchronous = FULL);
        // what failed is the closing optimize or checkpoint, which the next open does again. The
        // work is done and recorded: closing must not turn it into a failure.
        deps.logger.warn({ err: error, file: store.file }, 'the database did not close cleanly; the next open replays its write-ahead log');
      }
      await git.close(); // ends git's object reader (a `cat-file --batch` process)
    },
  };
}

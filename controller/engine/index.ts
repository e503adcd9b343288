// engine/: the one API every facade uses. Facades subscribe to events; the engine never calls them.
import { loadControlFile } from '../control/index.js';
import { isBatchDocument, isBatchId, newBatchId, parseBatchDocument } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { acquireRepoLock } from '../journal/index.js';
import { validateBatch } from '../validate/index.js';
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
import { rollbackBatch } from './rollback/rollback-batch.js';
import { resultFromRow } from './run/result-from-row.js';
import { runBatch } from './run/run-batch.js';
import { withCallerDefaults } from './run/caller-defaults.js';
import type { RunOptions } from './run/run-context.js';
import { subscribe } from './subscribe.js';
import { createWorkTracker } from './work-tracker.js';

export { createEventBus, type EventBus, type EventListener } from './event-bus.js';
export type { BatchDetails, Engine, InitOptions, ListOptions, ResumeOptions, StopOptions } from './engine-api.js';
export type { EngineDeps } from './engine-deps.js';
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
export type { RollbackOptions, RollbackResult } from './rollback/rollback-batch.js';
export type { ControlChangeResult } from './control/stop-resume.js';
export type { ControlStatus } from './control/control-status.js';
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

  return {
    root: git.root,
    run: (input, options: RunOptions = {}) =>
      work.track(async () => {
        const parsed = isBatchDocument(input) ? await parseBatchDocument(input) : input;
        // A dry run changes nothing and is not queued; it still waits for its turn (it reads under the lock).
        if (withCallerDefaults(deps, parsed, options).options.dryRun) {
          const signal = options.signal ? AbortSignal.any([options.signal, work.signal]) : work.signal;
          return queue.lane.exclusive(() => runBatch(deps, parsed, { ...options, signal }));
        }
        // Not durable: a foreground run whose caller is gone must not run later.
        const submitted = await queue.submit(parsed, { ...options, durable: false });
        const result = await wait(submitted.batch_id);
        return submitted.idempotent_replay ? { ...result, idempotent_replay: true } : result;
      }),
    submit: (input, options) => work.track(() => queue.submit(input, options)),
    wait,
    cancel: (batchId, reason) => cancelBatch({ deps, queue, batchId, reason }),
    start: () => queue.start(),
    subscribe: (options, sink) => subscribe({ store, bus, logger: deps.logger }, options, sink),
    lastSeq: () => store.events.lastSeq(),
    health: () => health(deps, { running: queue.running(), live }),
    validate: (input) =>
      work.track(async () => {
        const batch = isBatchDocument(input) ? await parseBatchDocument(input) : input;
        const control = await loadControlFile(git.root);
        return (await validateBatch({ batch, git, control, describe: true })).result;
      }),
    parse: (document) => parseBatchDocument(document),
    status(batchId, { itemLimit = 100, itemOffset = 0, itemStatus } = {}) {
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
      const progress = live.of(batchId);
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
        rollbacks: store.rollbacks.ofBatch(batchId),
        rollback_of: store.rollbacks.byRollback(batchId) ?? null,
      };
    },
    changeStamp: () => store.changeStamp(),
    list: ({ cursor, ...opts }) => store.batches.list({ ...opts, ...(cursor === undefined ? {} : { after: cursor }) }),
    legacy: (args) => work.track(() => findLegacyBatch(git, args)),
    rollback: (batchId, options = {}) =>
      work.track(() => {
        const runId = newBatchId(deps.now());
        return queue.job(runId, (signal) => rollbackBatch(deps, batchId, { ...options, signal, runId }));
      }),
    retry: (batchId, options = {}) =>
      work.track(() => {
        const runId = newBatchId(deps.now());
        return queue.job(runId, (signal) => retryBatch(deps, batchId, { ...options, signal, runId }));
      }),
    purge: (options) => inLane(() => purge(deps, options)),
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
    stop: (options) => work.track(() => stopBatches(deps, { ...options, by: options.by ?? actor })),
    resume: (options) => work.track(() => resumeBatches(deps, { ...options, by: options.by ?? actor })),
    controlStatus: (opts) => controlStatus(deps, opts),
    settingsWarnings: () => settingsWarnings(deps),
    events: ({ limit, afterSeq = 0, batchId }) => store.events.list({ limit, afterSeq, ...(batchId ? { batchId } : {}) }),
    on: (listener) => bus.on(listener),
    async close() {
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

// One batch, start to finish: the lifecycle as an ordered list of steps (docs/lifecycle.md#the-steps-of-a-run), with the
// always-run tail (restore on error, record, event, unlock) in `finally`.
import {
  BACKUP_REF_PREFIX,
  BATCH_STATUS,
  EVENT,
  isBatchDocument,
  ITEM_STATUS,
  newBatchId,
  parseBatchDocument,
  TAG_PREFIX,
  type Batch,
  type BatchDocument,
  type BatchResult,
  type EventType,
} from '../../domain/index.js';
import { ecosystemOutcomes, failingEcosystems } from '../../control/index.js';
import { BatchctlError, ERROR_CODES, toBatchctlError, type ErrorCode } from '../../errors/index.js';
import { acquireRepoLock } from '../../journal/index.js';
import type { BatchRow } from '../../store/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { commitFailureState } from '../control/commit-failure-state.js';
import { recoverPending } from '../recover.js';
import { retentionPass } from '../retention/retention-pass.js';
import { applyStep } from './apply-step.js';
import { withCallerDefaults } from './caller-defaults.js';
import { commitStep } from './commit-step.js';
import { decideStep } from './decide-step.js';
import { claimRunRow, insertRunRow } from './insert-run-row.js';
import { itemRows } from './item-rows.js';
import { journalStep } from './journal-step.js';
import { preflightStep } from './preflight-step.js';
import { resultFromRow } from './result-from-row.js';
import { residentBytes } from './resident-memory.js';
import { keepRetryContent } from './retry-content.js';
import { COMMITTED, runUpstream, TERMINAL, transition, type RunContext, type RunOptions } from './run-context.js';
import { settleJournal } from './settle-journal.js';
import type { RunStep } from './step.js';
import { validateStep } from './validate-step.js';

/** Lock, recovery and idempotency come first and are not steps: they decide whether there is a run. */
const STEPS: readonly RunStep[] = [preflightStep, validateStep, journalStep, applyStep, decideStep, commitStep];

const FINAL_EVENT: Partial<Record<string, EventType>> = {
  completed: EVENT.batchComplete,
  proposed: EVENT.batchComplete,
  failed: EVENT.batchFailed,
  cancelled: EVENT.batchCancelled,
  refused: EVENT.batchRefused,
};

/** The batch's row as first stored (status `queued`); submit stores it before any worker runs it. */
export function newRow(ctx: Pick<RunContext, 'batch' | 'batchId' | 'startedAt' | 'options'>): BatchRow {
  const types = new Set(ctx.batch.operations.map((op) => op.type));
  return {
    batch_id: ctx.batchId,
    status: BATCH_STATUS.queued,
    operation_type: types.size === 1 ? ([...types][0] ?? 'mixed') : 'mixed',
    total_count: ctx.batch.operations.length,
    success_count: 0,
    failure_count: 0,
    created_at: new Date(ctx.startedAt).toISOString(),
    completed_at: null,
    backup_id: null,
    title: ctx.batch.title,
    ecosystem: ctx.batch.ecosystem,
    requested_by: ctx.batch.requested_by,
    agent: ctx.options.agent ?? null,
    priority: ctx.batch.options.priority,
    commit_sha: null,
    tag: null,
    plan_hash: null,
    idempotency_key: ctx.batch.options.idempotency_key ?? null,
    reason_code: null,
    reason_message: null,
    duration_ms: null,
    options_json: JSON.stringify(ctx.batch.options),
    source: ctx.options.source ?? 'cli',
  };
}

export function toResult(ctx: RunContext): BatchResult {
  const success = ctx.results.filter((r) => r.status === ITEM_STATUS.succeeded).length;
  return {
    batch_id: ctx.batchId,
    status: ctx.status,
    success_count: success,
    failure_count: ctx.results.filter((r) => r.status === ITEM_STATUS.failed || r.status === ITEM_STATUS.skipped).length,
    commit: ctx.commit,
    tag: ctx.tag,
    rollback_available: ctx.commit !== null,
    backup_id: ctx.backupRef,
    errors: ctx.errors,
    ...(ctx.reason ? { reason: ctx.reason } : {}),
    ...(ctx.pending ? { pending: ctx.pending } : {}),
    ...(ctx.status === BATCH_STATUS.planned && ctx.validation ? { validation: ctx.validation } : {}),
    ...(ctx.controlWarnings.length > 0 ? { control_warnings: ctx.controlWarnings } : {}),
    duration_ms: Math.round(performance.now() - ctx.startedMono),
  };
}

/** The tail that always runs: undo a half-applied tree, store the outcome, tell the listeners. */
/**
 * A batch that ran and failed (over the threshold, atomic, an error while applying) feeds the breaker.
 * Refusals, validation failures, cancellations and lost races (transient) do not: none says the
 * batches of this ecosystem are going wrong.
 */
function countsAsBreakerFailure(ctx: RunContext): boolean {
  if (ctx.status !== BATCH_STATUS.failed || ctx.options.bypassAdmission || ctx.results.length === 0) return false;
  const code = ctx.reason?.code ?? '';
  return !(code in ERROR_CODES) || ERROR_CODES[code as ErrorCode].kind !== 'transient';
}

async function finishRun(ctx: RunContext, error: BatchctlError | null): Promise<void> {
  const { store, bus, now } = ctx.deps;
  let failure = error;
  if (failure && !ctx.journal && COMMITTED.has(ctx.status) && ctx.commit) {
    // Failed after the commit step finished (the refs moved, the journal is gone): the batch is
    // committed, and what failed after it is said, never made its outcome.
    ctx.pending = {
      code: failure.code,
      message: `batch ${ctx.batchId} is committed (${ctx.commit.slice(0, 12)}); after it: ${failure.detail}`,
    };
    failure = null;
  }
  if (failure && ctx.journal) {
    // The same decision as crash recovery, from the journal on disk (the copy in memory was taken
    // before the commit existed): a batch whose refs moved is committed, never reported failed.
    ctx.journal = null;
    const settled = await settleJournal(ctx.deps, ctx.batchId, failure);
    if (settled.committed !== null) {
      ctx.commit = settled.committed;
      ctx.tag = `${TAG_PREFIX}${ctx.batchId}`;
      // The backup ref moved with HEAD, in the same ref transaction (commit-batch.ts).
      const backup = `${BACKUP_REF_PREFIX}${ctx.batchId}`;
      ctx.backupRef ??= (await ctx.deps.git.readRef(backup).catch(() => null)) ? backup : null;
      ctx.status = ctx.options.proposal ? BATCH_STATUS.proposed : BATCH_STATUS.completed;
      ctx.reason = null;
      if (settled.pending) ctx.pending = settled.pending;
      failure = null;
    } else {
      failure = settled.failure;
      ctx.results = ctx.results.map((r) => (r.status === ITEM_STATUS.succeeded ? { ...r, status: ITEM_STATUS.reverted } : r));
    }
  }
  if (failure) {
    // An error can strike in any state: record it as the outcome, not as a lifecycle transition.
    // A stop found at the remote while publishing cancels, as one found between operations does.
    const stopped = failure.code === 'EMERGENCY_STOP' && ctx.status !== BATCH_STATUS.preflight;
    ctx.status = ctx.status === BATCH_STATUS.preflight ? BATCH_STATUS.refused : stopped ? BATCH_STATUS.cancelled : BATCH_STATUS.failed;
    ctx.reason = {
      code: failure.code,
      message: failure.detail,
      ...(failure.hint ? { hint: failure.hint } : {}),
      ...(Object.keys(failure.data).length > 0 ? { data: failure.data } : {}),
    };
    // Failed before its row existed (the lock timed out, recovery of an earlier batch failed): the
    // outcome is still recorded, so `status` and `list` know of it.
    if (!ctx.recorded && !ctx.options.dryRun && !ctx.replay) {
      insertRunRow(ctx, newRow(ctx));
      ctx.recorded = true;
    }
  }
  if (!ctx.recorded) return;
  const result = toResult(ctx);
  if (!COMMITTED.has(ctx.status)) await keepRetryContent(ctx);
  const shares = ecosystemOutcomes(ctx); // per ecosystem, for SLIs and breakers (docs/control-file.md#multi-ecosystem-outcomes)
  store.transaction(() => {
    if (shares) store.batches.recordEcosystemOutcomes(ctx.batchId, shares);
    if (!COMMITTED.has(ctx.status)) store.items.upsertMany(itemRows(ctx));
    store.batches.update(ctx.batchId, {
      status: ctx.status,
      total_count: ctx.plan ? ctx.plan.steps.length : ctx.batch.operations.length,
      success_count: result.success_count,
      failure_count: result.failure_count,
      completed_at: now().toISOString(),
      duration_ms: result.duration_ms,
      commit_sha: ctx.commit,
      tag: ctx.tag,
      backup_id: ctx.backupRef,
      reason_code: ctx.reason?.code ?? null,
      reason_message: ctx.reason?.message ?? null,
      // Nothing of a refused batch ran, so its idempotency key is free again: the same batch sent
      // after the stop is lifted runs, rather than replaying the refusal (the key stays in options_json).
      ...(ctx.status === BATCH_STATUS.refused ? { idempotency_key: null } : {}),
    });
  });
  if (countsAsBreakerFailure(ctx))
    await commitFailureState(ctx.deps, ctx.batch, ctx.batchId, { push: ctx.options.push !== false, failed: failingEcosystems(shares) });
  const type = FINAL_EVENT[ctx.status];
  if (type) bus.emit(type, ctx.batchId, { ...result, errors: result.errors.slice(0, 100) });
}

/** Per-step wall time at debug level: where a slow batch spends its time (BATCHCTL_LOG_LEVEL=debug). */
function logStep(ctx: RunContext, step: RunStep, began: number): void {
  const { logger } = ctx.deps;
  if (!logger.isLevelEnabled('debug')) return;
  const rss = residentBytes(-1);
  logger.debug(
    { batch_id: ctx.batchId, step: step.name, ms: Math.round(performance.now() - began), rss_mb: rss < 0 ? null : Math.round(rss / 1e6) },
    'step done',
  );
}

/** Internal errors are bugs and keep their stack; expected outcomes (a lost race, a refusal) are one line. */
function logFailure(ctx: RunContext, failure: BatchctlError, error: unknown): void {
  if (failure.kind === 'internal') ctx.deps.logger.error({ err: error, batch_id: ctx.batchId }, 'batch run failed');
  else ctx.deps.logger.info({ batch_id: ctx.batchId, code: failure.code }, failure.detail);
}

/** The always-run tail must never turn a result into a thrown error: what it cannot do, it logs. */
async function settle(ctx: RunContext, failure: BatchctlError | null): Promise<void> {
  try {
    await ctx.blobPack?.abort(); // a batch that did not commit: its blobs are not needed
  } catch (error) {
    ctx.deps.logger.warn({ err: error, batch_id: ctx.batchId }, 'could not end the blob pack');
  }
  try {
    await finishRun(ctx, failure);
  } catch (error) {
    const recordFailure = toBatchctlError(error);
    ctx.deps.logger.error({ err: error, batch_id: ctx.batchId }, 'could not record the outcome of the batch');
    if (!COMMITTED.has(ctx.status)) {
      ctx.status = TERMINAL.has(ctx.status) ? ctx.status : BATCH_STATUS.failed;
      ctx.reason ??= { code: recordFailure.code, message: recordFailure.detail };
    }
  }
}

/**
 * Run one batch in the foreground: a typed Batch, or a document (text, a stream, a JSON value) the
 * engine parses. Resolves to a terminal, recorded result; throws only INPUT_INVALID for a document
 * that is not a batch (there is nothing to record).
 * @example const result = await runBatch(deps, { document: createReadStream(file), name: file }, { source: 'cli' });
 */
export async function runBatch(deps: EngineDeps, input: Batch | BatchDocument, given: RunOptions = {}): Promise<BatchResult> {
  const parsed = isBatchDocument(input) ? await parseBatchDocument(input) : input;
  const { batch, options } = withCallerDefaults(deps, parsed, given);
  const ctx: RunContext = {
    deps,
    batch,
    options,
    batchId: options.batchId ?? newBatchId(deps.now()),
    startedAt: deps.now().getTime(),
    startedMono: performance.now(),
    status: BATCH_STATUS.queued,
    reason: null,
    control: null,
    controlWarnings: [],
    validation: null,
    plan: null,
    journal: null,
    results: [],
    runtime: new Map(),
    commit: null,
    tag: null,
    backupRef: null,
    errors: [],
    stoppedBy: null,
    replay: false,
    recorded: false,
  };
  let release: (() => Promise<void>) | null = null;
  let failure: BatchctlError | null = null;
  try {
    release = await acquireRepoLock({ stateDir: deps.stateDir });
    await recoverPending(deps);
    // A queued batch (engine/queue) had its key checked and its row stored when it was submitted.
    const key = options.queued ? undefined : batch.options.idempotency_key;
    const earlier = key ? deps.store.batches.findByIdempotencyKey(key) : undefined;
    if (earlier) {
      ctx.replay = true;
      return { ...resultFromRow(earlier, deps.store), idempotent_replay: true };
    }
    if (!options.dryRun) {
      // A queued row exists since submit: this process claims it now (recovery finalizes it if we die).
      if (options.queued) claimRunRow(ctx);
      else insertRunRow(ctx, newRow(ctx));
      ctx.recorded = true;
      // Asked of git now, answered while the batch validates: apply and commit need it (memoised).
      runUpstream(ctx).catch(() => undefined); // a failure is reported where it is awaited
    }
    // Cancelled while it waited for its turn or for the lock: nothing ran, nothing to undo.
    if (options.signal?.aborted)
      transition(ctx, BATCH_STATUS.cancelled, { code: 'CANCELLED', message: 'the batch was cancelled before it started' });
    for (const step of ctx.status === BATCH_STATUS.cancelled ? [] : STEPS) {
      if (step === applyStep)
        deps.bus.emit(EVENT.batchStarted, ctx.batchId, {
          title: batch.title,
          ecosystem: batch.ecosystem,
          total: ctx.plan?.steps.length ?? 0,
        });
      const began = performance.now();
      const next = await step(ctx);
      // The composition root's hook (the one-shot CLI collects garbage here); a long-lived engine has none.
      deps.betweenSteps?.({ operations: Math.max(batch.operations.length, ctx.plan?.steps.length ?? 0) });
      logStep(ctx, step, began);
      if (next === 'stop') break;
    }
  } catch (error) {
    failure = toBatchctlError(error);
    logFailure(ctx, failure, error);
  } finally {
    if (!ctx.replay) await settle(ctx, failure);
    // At most daily, never failing the batch, and only under the lock this run holds.
    if (ctx.recorded && release) await retentionPass(deps);
    await release?.().catch((error: unknown) => deps.logger.warn({ err: error }, 'could not release the repository lock'));
  }
  return toResult(ctx);
}

// Step 6, decide: cancelled, atomic with a failure, or over the failure threshold → put every
// touched path back as it was, no commit (docs/lifecycle.md#the-steps-of-a-run). Otherwise go on to commit. A path that cannot
// be put back ends the batch RESTORE_INCOMPLETE with its journal kept (restore-paths.ts).
import { BATCH_STATUS, ITEM_STATUS, type JournalPath, type Reason } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { clearJournal } from '../../journal/index.js';
import { restorePaths } from '../restore-paths.js';
import { transition, type RunContext } from './run-context.js';
import type { RunStep } from './step.js';

function verdict(ctx: RunContext): (Reason & { status: 'failed' | 'cancelled' }) | null {
  const total = ctx.results.length;
  const failed = ctx.results.filter((r) => r.status !== ITEM_STATUS.succeeded).length;
  if (ctx.options.signal?.aborted) {
    // cancel(batch_id, reason) aborts with a CANCELLED error carrying the caller's words.
    const why = ctx.options.signal.reason instanceof BatchctlError ? ` (${ctx.options.signal.reason.detail})` : '';
    return { status: 'cancelled', code: 'CANCELLED', message: `the batch was cancelled${why}; its changes were rolled back` };
  }
  if (ctx.stoppedBy !== null) {
    return {
      status: 'cancelled',
      code: 'EMERGENCY_STOP',
      message: `stopped by batch-control.json while running (${ctx.stoppedBy}); its changes were rolled back`,
    };
  }
  if (failed === 0) return null;
  if (ctx.batch.options.atomic) {
    return { status: 'failed', code: 'ATOMIC_FAILURE', message: `${failed} of ${total} operations failed in an atomic batch; rolled back` };
  }
  const threshold = ctx.batch.options.failure_threshold ?? ctx.control?.policy.limits.auto_rollback_failure_rate ?? 0.2;
  if (failed / total > threshold) {
    return {
      status: 'failed',
      code: 'FAILURE_THRESHOLD',
      message: `${failed} of ${total} operations failed (${Math.round((failed / total) * 100)}% > ${threshold * 100}%); rolled back`,
    };
  }
  return null;
}

/**
 * A step that failed midway (a rewrite in place hit ENOSPC) may have left its path half-written:
 * its target is put back like the paths the run changed, unless a successful step owns it.
 */
function failedTargets(ctx: RunContext): Set<string> {
  return new Set((ctx.plan?.steps ?? []).filter((_, id) => ctx.results[id]?.status === ITEM_STATUS.failed).map((step) => step.target));
}

/** Restore these paths; the RESTORE_INCOMPLETE error when some could not be, else null. */
async function restore(ctx: RunContext, paths: readonly JournalPath[]): Promise<BatchctlError | null> {
  try {
    await restorePaths({ git: ctx.deps.git, paths });
    return null;
  } catch (error) {
    if (error instanceof BatchctlError && error.code === 'RESTORE_INCOMPLETE') return error;
    throw error;
  }
}

export const decideStep: RunStep = async (ctx) => {
  const failed = failedTargets(ctx);
  const touched = ctx.journal?.touched ?? [];
  let outcome = verdict(ctx);
  if (!outcome) {
    const left =
      failed.size === 0
        ? null
        : await restore(
            ctx,
            touched.filter((p) => failed.has(p.path) && !ctx.runtime.has(p.path)),
          );
    if (!left) return 'continue';
    // A half-written path that cannot be put back must not sit beside a commit: undo it all.
    outcome = { status: 'failed', code: left.code, message: left.message };
  }
  const left = await restore(
    ctx,
    touched.filter((p) => ctx.runtime.has(p.path) || failed.has(p.path)),
  );
  ctx.results = ctx.results.map((r) => (r.status === ITEM_STATUS.succeeded ? { ...r, status: ITEM_STATUS.reverted } : r));
  ctx.runtime.clear();
  // Paths left as the batch made them: the journal stays on disk, so `batchctl recover` (or the
  // next command) finishes the restore once the cause is fixed.
  if (!left) await clearJournal(ctx.deps.stateDir);
  ctx.journal = null;
  const reason = left
    ? { code: left.code, message: left.message, data: { ...left.data, rolling_back: outcome.code } }
    : { code: outcome.code, message: outcome.message };
  transition(ctx, outcome.status === 'cancelled' ? BATCH_STATUS.cancelled : BATCH_STATUS.failed, reason);
  return 'stop';
};

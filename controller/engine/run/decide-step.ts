// Step 6, decide: cancelled, atomic with a failure, or over the failure threshold → put every
// touched path back as it was, no commit (SPEC §4). Otherwise go on to commit.
import { BATCH_STATUS, ITEM_STATUS, type Reason } from '../../domain/index.js';
import { clearJournal } from '../../journal/index.js';
import { restorePaths } from '../restore-paths.js';
import { transition, type RunContext } from './run-context.js';
import type { RunStep } from './step.js';

function verdict(ctx: RunContext): (Reason & { status: 'failed' | 'cancelled' }) | null {
  const total = ctx.results.length;
  const failed = ctx.results.filter((r) => r.status !== ITEM_STATUS.succeeded).length;
  if (ctx.options.signal?.aborted) {
    return { status: 'cancelled', code: 'CANCELLED', message: 'the batch was cancelled; its changes were rolled back' };
  }
  if (ctx.stoppedBy !== null) {
    return { status: 'cancelled', code: 'EMERGENCY_STOP', message: `stopped by batch-control.json while running (${ctx.stoppedBy}); its changes were rolled back` };
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
 * A step that failed midway (a rewrite in place hit ENOSPC) may have left its path half-written.
 * Put such paths back unless a successful step owns them; the commit takes only successful effects.
 */
async function repairFailedPaths(ctx: RunContext): Promise<void> {
  const failed = new Set((ctx.plan?.steps ?? []).filter((_, id) => ctx.results[id]?.status === ITEM_STATUS.failed).map((step) => step.target));
  if (failed.size === 0) return;
  const paths = (ctx.journal?.touched ?? []).filter((p) => failed.has(p.path) && !ctx.runtime.has(p.path));
  await restorePaths({ git: ctx.deps.git, paths });
}

export const decideStep: RunStep = async (ctx) => {
  const outcome = verdict(ctx);
  if (!outcome) {
    await repairFailedPaths(ctx);
    return 'continue';
  }
  const touched = ctx.journal?.touched ?? [];
  const changed = touched.filter((p) => ctx.runtime.has(p.path));
  await restorePaths({ git: ctx.deps.git, paths: changed });
  ctx.results = ctx.results.map((r) => (r.status === ITEM_STATUS.succeeded ? { ...r, status: ITEM_STATUS.reverted } : r));
  ctx.runtime.clear();
  await clearJournal(ctx.deps.stateDir);
  ctx.journal = null;
  transition(ctx, outcome.status === 'cancelled' ? BATCH_STATUS.cancelled : BATCH_STATUS.failed, {
    code: outcome.code,
    message: outcome.message,
  });
  return 'stop';
};

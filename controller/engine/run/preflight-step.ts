// Step 2, preflight: the control file must load (fail closed) and admit this batch.
import { defaultControlFile, loadControl, preflight, type UnreadableBreaker } from '../../control/index.js';
import { BATCH_STATUS, batchEcosystems, CONTROL_FILE_NAME, type Reason } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { auditManualBreakerChanges } from '../control/audit-manual-changes.js';
import { uncommittedControlFields } from '../control/control-dirty.js';
import { commitFailureState } from '../control/commit-failure-state.js';
import { applyPendingFailures, readPendingFailures, withPendingFailures } from '../control/pending-failures.js';
import { settingsRemovedByOthers, settingsRemovedWarning } from '../control/settings-removed.js';
import { transition, type RunContext } from './run-context.js';
import type { RunStep } from './step.js';

export const preflightStep: RunStep = async (ctx) => {
  transition(ctx, BATCH_STATUS.preflight);
  let unreadableBreakers: UnreadableBreaker[] = [];
  try {
    ({ control: ctx.control, warnings: ctx.controlWarnings, unreadableBreakers } = await loadControl(ctx.deps.git.root));
  } catch (error) {
    if (!(error instanceof BatchctlError)) throw error;
    if (ctx.options.bypassAdmission) {
      // An incident tool must work when the control file is what broke: default policy, loudly.
      ctx.deps.logger.warn({ err: error }, 'control file unusable; rollback proceeds with the default policy');
      ctx.control = defaultControlFile();
    } else {
      transition(ctx, BATCH_STATUS.refused, { code: error.code, message: error.detail, ...(error.hint ? { hint: error.hint } : {}) });
      return 'stop';
    }
  }
  try {
    const removed = await settingsRemovedByOthers(ctx.deps);
    if (removed) ctx.controlWarnings = [...ctx.controlWarnings, settingsRemovedWarning(removed)];
  } catch (error) {
    ctx.deps.logger.warn({ err: error }, 'could not look for settings removed from the control file');
  }
  if (ctx.options.bypassAdmission) {
    const limits = { ...ctx.control.policy.limits, max_operations_per_batch: Number.MAX_SAFE_INTEGER };
    ctx.control = { ...ctx.control, policy: { ...ctx.control.policy, limits } };
    return 'continue';
  }
  await settlePendingFailures(ctx);
  try {
    await auditManualBreakerChanges(ctx.deps, { automationIdentities: ctx.control.policy.automation_identities });
  } catch (error) {
    ctx.deps.logger.warn({ err: error }, 'could not audit hand-made changes to the control file');
  }
  const decision = preflight(
    ctx.control,
    {
      id: ctx.batchId,
      ecosystem: ctx.batch.ecosystem,
      ecosystems: batchEcosystems(ctx.batch),
      priority: ctx.batch.options.priority,
    },
    ctx.deps.now(),
    { unreadableBreakers },
  );
  // A stop wins over everything, an uncommitted edit included: `batchctl stop` writes the file
  // before it commits it, and a batch that runs meanwhile must see the stop.
  const stopped = !decision.admit && (decision.code === 'EMERGENCY_STOP' || decision.code === 'ECOSYSTEM_DISABLED');
  const dirty = stopped ? null : await dirtyRefusal(ctx);
  if (dirty) {
    transition(ctx, BATCH_STATUS.refused, dirty);
    return 'stop';
  }
  if (!decision.admit) {
    const { code, message, hint, data } = decision;
    transition(ctx, BATCH_STATUS.refused, { code, message, hint, ...(data ? { data } : {}) });
    return 'stop';
  }
  return 'continue';
};

/** CONTROL_FILE_DIRTY when the control file has uncommitted edits (docs/control-file.md#uncommitted-edits). */
async function dirtyRefusal(ctx: RunContext): Promise<Reason | null> {
  const fields = await uncommittedControlFields(ctx.deps);
  if (fields.length === 0) return null;
  return {
    code: 'CONTROL_FILE_DIRTY',
    message: `${CONTROL_FILE_NAME} has uncommitted edits (${fields.join(', ')}); batchctl does not commit them under its own name`,
    hint: `commit them first: git commit ${CONTROL_FILE_NAME} -m "<why>" (or undo them: git checkout -- ${CONTROL_FILE_NAME})`,
    data: { file: CONTROL_FILE_NAME, fields },
  };
}

/**
 * Failures an earlier run could not commit are recorded now, before this batch is judged; those that
 * still cannot be (a dry run, an uncommitted edit) count in memory (docs/control-file.md#a-failure-not-yet-recorded).
 */
async function settlePendingFailures(ctx: RunContext): Promise<void> {
  const { deps } = ctx;
  const pending = await readPendingFailures(deps);
  if (pending.length === 0 || !ctx.control) return;
  // Never over an uncommitted edit: the control-state commit would carry it under batchctl's name.
  const commitNow = !ctx.options.dryRun && (await uncommittedControlFields(deps)).length === 0;
  const still = commitNow
    ? await applyPendingFailures(deps, pending, (r) =>
        // The run's push rule holds for the failures it records: `--no-push` commits them here only.
        commitFailureState(
          deps,
          // The other ecosystems stand in as operations that name them: each breaker hears the failure.
          { ecosystem: r.ecosystem, options: { cost: r.cost }, operations: (r.other_ecosystems ?? []).map((ecosystem) => ({ ecosystem })) },
          r.batch_id,
          { push: ctx.options.push !== false },
        ),
      )
    : pending;
  if (commitNow) ({ control: ctx.control } = await loadControl(deps.git.root));
  ctx.control = withPendingFailures(ctx.control, still, deps.now());
}

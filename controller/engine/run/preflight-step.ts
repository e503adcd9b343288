// Step 2, preflight: the control file must load (fail closed) and admit this batch.
import { defaultControlFile, loadControl, preflight } from '../../control/index.js';
import { BATCH_STATUS } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { auditManualBreakerChanges } from '../control/audit-manual-changes.js';
import { transition } from './run-context.js';
import type { RunStep } from './step.js';

export const preflightStep: RunStep = async (ctx) => {
  transition(ctx, BATCH_STATUS.preflight);
  try {
    ({ control: ctx.control, warnings: ctx.controlWarnings } = await loadControl(ctx.deps.git.root));
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
  if (ctx.options.bypassAdmission) {
    const limits = { ...ctx.control.policy.limits, max_operations_per_batch: Number.MAX_SAFE_INTEGER };
    ctx.control = { ...ctx.control, policy: { ...ctx.control.policy, limits } };
    return 'continue';
  }
  try {
    await auditManualBreakerChanges(ctx.deps);
  } catch (error) {
    ctx.deps.logger.warn({ err: error }, 'could not audit hand-made changes to the control file');
  }
  const decision = preflight(
    ctx.control,
    { id: ctx.batchId, ecosystem: ctx.batch.ecosystem, priority: ctx.batch.options.priority },
    ctx.deps.now(),
  );
  if (!decision.admit) {
    transition(ctx, BATCH_STATUS.refused, { code: decision.code, message: decision.message, hint: decision.hint });
    return 'stop';
  }
  return 'continue';
};

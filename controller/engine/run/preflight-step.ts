// Step 2, preflight: the control file must load (fail closed) and admit this batch.
import { preflight, loadControlFile } from '../../control/index.js';
import { BATCH_STATUS } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { transition } from './run-context.js';
import type { RunStep } from './step.js';

export const preflightStep: RunStep = async (ctx) => {
  transition(ctx, BATCH_STATUS.preflight);
  try {
    ctx.control = await loadControlFile(ctx.deps.git.root);
  } catch (error) {
    if (!(error instanceof BatchctlError)) throw error;
    transition(ctx, BATCH_STATUS.refused, { code: error.code, message: error.message });
    return 'stop';
  }
  const decision = preflight(ctx.control, ctx.batch);
  if (!decision.admit) {
    transition(ctx, BATCH_STATUS.refused, { code: decision.code, message: `${decision.message} (Hint: ${decision.hint})` });
    return 'stop';
  }
  return 'continue';
};

// Validating under the lock (no gap between check and use), then --plan-hash and dry run.
// A batch validation or --plan-hash turns away is refused (the caller's mistake), never failed:
// refusals feed no SLI and no breaker (docs/outcomes.md).
import { BATCH_STATUS } from '../../domain/index.js';
import { validateBatch } from '../../validate/index.js';
import { transition } from './run-context.js';
import type { RunStep } from './step.js';

export const validateStep: RunStep = async (ctx) => {
  transition(ctx, BATCH_STATUS.validating);
  const control = ctx.control;
  if (!control) throw new Error('validate before preflight');
  const { result, plan } = await validateBatch({
    batch: ctx.batch,
    git: ctx.deps.git,
    control,
    describe: ctx.options.dryRun === true,
    source: ctx.options.source,
  });
  ctx.validation = result;
  if (!result.valid || !plan) {
    const first = result.issues[0];
    ctx.errors = result.issues.map((issue) => ({
      index: issue.index,
      type: ctx.batch.operations[issue.index]?.type ?? 'batch',
      path: issue.path ?? '',
      code: issue.code,
      message: issue.message,
    }));
    transition(ctx, BATCH_STATUS.refused, {
      code: 'VALIDATION_FAILED',
      message: `${result.issues.length} validation error(s); first: ${first?.code} at operation ${first?.index} (${first?.path ?? '-'}): ${first?.message}`,
    });
    return 'stop';
  }
  if (ctx.options.planHash !== undefined && ctx.options.planHash !== result.plan_hash) {
    transition(ctx, BATCH_STATUS.refused, {
      code: 'PLAN_HASH_MISMATCH',
      message: `the batch or the repository changed since validation: plan hash is ${result.plan_hash}, expected ${ctx.options.planHash}`,
      hint: 'validate again and review the new plan',
    });
    return 'stop';
  }
  ctx.plan = plan;
  if (ctx.options.dryRun) {
    transition(ctx, BATCH_STATUS.planned);
    return 'stop';
  }
  return 'continue';
};

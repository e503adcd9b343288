// One batch_items row per plan step, with its outcome and, once committed, the blob it wrote. A batch
// refused before it had a plan gets one row per operation instead, so `retry` can run them all.
import { ITEM_STATUS, storedOperation, storedWrite, type Operation, type OperationError } from '../../domain/index.js';
import type { ItemRow } from '../../store/index.js';
import { stepBytes, type PlanStep } from '../../validate/index.js';
import type { RunContext } from './run-context.js';

/** The step as an operation of its own (a glob's match as its path), with the operation's ecosystem. */
export function concreteOperation(step: PlanStep): Operation {
  const op = concreteOperationOf(step);
  return step.ecosystem ? { ...op, ecosystem: step.ecosystem } : op;
}

function concreteOperationOf(step: PlanStep): Operation {
  const source = step.source ?? '';
  switch (step.type) {
    case 'write':
      return {
        type: 'write',
        target: step.target,
        content_base64: stepBytes(step.content).toString('base64'),
        ...(step.mode ? { mode: step.mode as '100644' } : {}),
      };
    case 'copy':
    case 'move':
      return { type: step.type, source, target: step.target, ...(step.overwrite ? { overwrite: true } : {}) };
    case 'rename':
      return { type: 'rename', source, target: step.target };
    case 'delete':
      return { type: 'delete', target: step.target };
    case 'replace':
      return {
        type: 'replace',
        target: step.target,
        find: step.find ?? '',
        replace: step.replaceWith ?? '',
        ...(step.regex ? { regex: true } : {}),
      };
  }
}

/** What `retry` needs of a step that did not land: a write's bytes are named (in git), not copied. */
function unlandedJson(ctx: RunContext, id: number, step: PlanStep): string {
  const contentBlob = ctx.retryContent?.oids.get(id);
  if (step.type === 'write' && contentBlob !== undefined) {
    return storedWrite({ target: step.target, mode: step.mode, contentBlob, ...(step.ecosystem ? { ecosystem: step.ecosystem } : {}) });
  }
  return JSON.stringify(concreteOperation(step));
}

/** Generated row by row, so a 100,000-step batch never holds all its rows at once. */
export function* itemRows(ctx: RunContext, blobs: ReadonlyMap<string, string> = new Map()): Generator<ItemRow> {
  if (!ctx.plan) {
    yield* operationRows(ctx);
    return;
  }
  const at = ctx.deps.now().toISOString();
  for (const [id, step] of ctx.plan.steps.entries()) {
    const result = ctx.results[id];
    yield {
      batch_id: ctx.batchId,
      item_index: id,
      operation: step.type,
      source_path: step.source,
      target_path: step.target,
      status: result?.status ?? 'pending',
      error_code: result?.error?.code ?? null,
      error_message: result?.error?.message ?? null,
      attempts: result?.attempts ?? 0,
      blob_id: blobs.get(step.target) ?? null,
      processed_at: result && result.status !== 'pending' ? at : null,
      // Everything that did not land keeps its operation, so `retry` can re-run exactly that.
      op_json: result?.status === 'succeeded' ? null : unlandedJson(ctx, id, step),
    };
  }
}

/**
 * Refused before anything ran (control plane, validation, --plan-hash): nothing was planned, so each
 * operation of the document is a row, as written (globs, depends_on), and `retry` runs them all.
 * An operation validation found fault with is `failed` with the first issue's code; the rest never ran.
 */
function* operationRows(ctx: RunContext): Generator<ItemRow> {
  const issues = new Map<number, OperationError>();
  for (const error of ctx.errors) if (!issues.has(error.index)) issues.set(error.index, error);
  for (const [index, op] of ctx.batch.operations.entries()) {
    const issue = issues.get(index);
    yield {
      batch_id: ctx.batchId,
      item_index: index,
      operation: op.type,
      source_path: 'source' in op ? op.source : null,
      target_path: op.target,
      status: issue ? ITEM_STATUS.failed : ITEM_STATUS.pending,
      error_code: issue?.code ?? null,
      error_message: issue?.message ?? null,
      attempts: 0,
      blob_id: null,
      processed_at: null,
      op_json: storedOperation(op, ctx.retryContent?.oids.get(index)),
    };
  }
}

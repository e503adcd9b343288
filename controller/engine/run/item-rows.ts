// One batch_items row per plan step, with its outcome and, once committed, the blob it wrote.
import type { Operation } from '../../domain/index.js';
import type { ItemRow } from '../../store/index.js';
import { stepBytes, type PlanStep } from '../../validate/index.js';
import type { RunContext } from './run-context.js';

/** A plan step as a stand-alone operation on its concrete path (globs already expanded). */
export function concreteOperation(step: PlanStep): Operation {
  const source = step.source ?? '';
  switch (step.type) {
    case 'write':
      return { type: 'write', target: step.target, content_base64: stepBytes(step.content).toString('base64'), ...(step.mode ? { mode: step.mode as '100644' } : {}) };
    case 'copy':
    case 'move':
      return { type: step.type, source, target: step.target, ...(step.overwrite ? { overwrite: true } : {}) };
    case 'rename':
      return { type: 'rename', source, target: step.target };
    case 'delete':
      return { type: 'delete', target: step.target };
    case 'replace':
      return { type: 'replace', target: step.target, find: step.find ?? '', replace: step.replaceWith ?? '', ...(step.regex ? { regex: true } : {}) };
  }
}

/** Generated row by row, so a 100,000-step batch never holds all its rows at once. */
export function* itemRows(ctx: RunContext, blobs: ReadonlyMap<string, string> = new Map()): Generator<ItemRow> {
  const steps = ctx.plan?.steps ?? [];
  const at = ctx.deps.now().toISOString();
  for (const [id, step] of steps.entries()) {
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
      op_json: result?.status === 'succeeded' ? null : JSON.stringify(concreteOperation(step)),
    };
  }
}

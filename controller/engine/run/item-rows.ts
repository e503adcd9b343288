// One batch_items row per plan step, with its outcome and, once committed, the blob it wrote.
import type { ItemRow } from '../../store/index.js';
import type { RunContext } from './run-context.js';

export function itemRows(ctx: RunContext, blobs: ReadonlyMap<string, string> = new Map()): ItemRow[] {
  const steps = ctx.plan?.steps ?? [];
  const at = ctx.deps.now().toISOString();
  return steps.map((step, id) => {
    const result = ctx.results[id];
    return {
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
    };
  });
}

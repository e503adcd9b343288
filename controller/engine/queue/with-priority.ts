// submit's `priority` option: 0–9, higher runs first (docs/lifecycle.md#the-queue); it overrides the batch's own.
import type { Batch } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';

export function withPriority(batch: Batch, priority: number | undefined): Batch {
  if (priority === undefined || priority === batch.options.priority) return batch;
  if (!Number.isInteger(priority) || priority < 0 || priority > 9) {
    throw new BatchctlError({
      code: 'INPUT_INVALID',
      message: `priority: ${priority} is not an integer from 0 to 9`,
      data: { field: 'priority' },
    });
  }
  return { ...batch, options: { ...batch.options, priority } };
}

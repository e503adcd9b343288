// The `batchctl/batch` commit status a finished batch gets on its commit: success when it landed whole, failure
// when some operations did not (the commit holds the rest); a batch with no commit has nowhere to put one.
import type { CommitStatusInput } from './github-port.js';

/** The status is one write (charged as api_writes with the batch's control state, control-state.ts). */
export const COMMIT_STATUS_WRITES = 1;

export function batchStatusOf(result: Record<string, unknown>): CommitStatusInput | null {
  const commit = result['commit'];
  if (typeof commit !== 'string' || commit === '') return null;
  const ok = Number(result['success_count'] ?? 0);
  const failed = Number(result['failure_count'] ?? 0);
  const proposed = result['status'] === 'proposed' ? ', proposed as a pull request' : '';
  return {
    sha: commit,
    state: failed === 0 ? 'success' : 'failure',
    description:
      failed === 0
        ? `batch ${String(result['batch_id'])}: ${ok} operations landed${proposed}`
        : `batch ${String(result['batch_id'])}: ${ok} landed, ${failed} failed${proposed}`,
  };
}

// A proposed batch (`run --pr`, `rollback --pr`) is completed once its commit is on the branch, that is once its
// pull request was merged: verify records it as reindex does (docs/github-api.md#pull-requests), so a drift
// check after a merge checks the merged batch's files instead of skipping them as still proposed.
import { BATCH_STATUS } from '../../domain/index.js';
import type { BatchRow } from '../../store/index.js';
import type { EngineDeps } from '../engine-deps.js';

const PAGE = 1000;

function proposedBatches({ store }: Pick<EngineDeps, 'store'>): BatchRow[] {
  const rows: BatchRow[] = [];
  for (let after: string | undefined; ;) {
    const page = store.batches.list({ limit: PAGE, status: BATCH_STATUS.proposed, ...(after === undefined ? {} : { after }) });
    rows.push(...page);
    if (page.length < PAGE) return rows;
    after = page.at(-1)?.batch_id;
  }
}

/**
 * The proposed batches whose Batch-Id is on `head` (a merge commit keeps the batch commit, a squash merge its
 * trailers) become `completed`; a merged full revert also marks the batch it reverts `rolled_back`.
 * No git call when nothing is proposed. @returns the ids completed, oldest first
 */
export async function completeLandedProposals(deps: Pick<EngineDeps, 'git' | 'store'>, head: string): Promise<string[]> {
  const { git, store } = deps;
  const proposed = proposedBatches(deps);
  if (proposed.length === 0) return [];
  const onHead = new Set(await git.batchIdsOnHead(head));
  const landed = proposed.filter((row) => onHead.has(row.batch_id)).reverse();
  store.transaction(() => {
    for (const row of landed) {
      store.batches.update(row.batch_id, { status: BATCH_STATUS.completed });
      const reverts = store.rollbacks.byRollback(row.batch_id);
      // A --paths revert leaves the rest of its batch standing: only a full one rolls the batch back.
      if (!reverts || reverts.paths !== null) continue;
      if (store.batches.get(reverts.batch_id)?.status === BATCH_STATUS.completed)
        store.batches.update(reverts.batch_id, { status: BATCH_STATUS.rolled_back });
    }
  });
  return landed.map((row) => row.batch_id);
}

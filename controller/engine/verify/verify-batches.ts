// batchctl verify <id>|--all (docs/lifecycle.md#drift): files a batch wrote whose content no longer
// matches what it recorded, each with the later commit (not batchctl's) that changed it.
import { BATCH_STATUS, type VerifyReport } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { BatchRow } from '../../store/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { requireBatchId } from '../rollback/find-batch-commits.js';
import { completeLandedProposals } from './complete-proposals.js';
import { findDrift } from './find-drift.js';
import { committedBatches, recordedFiles } from './recorded-files.js';

export interface VerifyOptions {
  /** one batch; omitted: every committed batch the database records (`--all`) */
  batchId?: string;
}

/**
 * A database that misses batch commits HEAD has (a fresh CI runner, a cold cache) cannot check
 * their files: say so, with the command that fills it, rather than report a clean tree.
 */
async function unrecordedNote({ git, store }: EngineDeps, head: string): Promise<{ unrecorded_batches?: number; note?: string }> {
  const ids = await git.batchIdsOnHead(head);
  const unrecorded = new Set(ids.filter((id) => !store.batches.get(id))).size;
  if (unrecorded === 0) return {};
  return {
    unrecorded_batches: unrecorded,
    note: `${unrecorded} batch commit(s) on HEAD are not in the history database (a cold cache?): their files were not checked; run \`batchctl reindex\` first`,
  };
}

export async function verifyBatches(deps: EngineDeps, { batchId }: VerifyOptions = {}): Promise<VerifyReport> {
  const { git, store } = deps;
  const head = await git.head();
  // Before the batches are picked: a proposal merged since is completed now, and checked like any batch.
  const completed = head === null ? [] : await completeLandedProposals(deps, head);
  let batches: BatchRow[];
  if (batchId === undefined) batches = committedBatches(store);
  else {
    requireBatchId(batchId);
    const row = store.batches.get(batchId);
    if (!row) {
      throw new BatchctlError({
        code: 'BATCH_NOT_FOUND',
        message: `no batch ${batchId} in ${store.file}`,
        hint: 'list batches with `batchctl list`; a database rebuilt from git needs `batchctl reindex` first',
        data: { batch_id: batchId },
      });
    }
    // A rolled-back batch is verified too when asked by id: its revert is batchctl's, so not drift.
    const committed = row.commit_sha !== null && (row.status === BATCH_STATUS.completed || row.status === BATCH_STATUS.rolled_back);
    batches = committed ? [row] : [];
  }
  if (head === null) return { head: '', checked_batches: 0, checked_files: 0, drift: [] };
  const files = recordedFiles(store, batches);
  const drift = await findDrift({ git, head, files, recordedCommit: (id) => store.batches.get(id)?.commit_sha ?? null });
  const report = {
    head,
    checked_batches: batches.length,
    checked_files: files.size,
    drift,
    ...(completed.length > 0 ? { completed_proposals: completed } : {}),
  };
  if (batchId === undefined) return { ...report, ...(await unrecordedNote(deps, head)) };
  if (batches.length === 0)
    return { ...report, note: `batch ${batchId} is ${store.batches.get(batchId)?.status ?? 'unknown'}: it committed no files to verify` };
  return report;
}

// Finding a batch's commits by exact id (docs/lifecycle.md#rollback): its tag first (one ref read), then the Batch-Id
// trailer in history. An id that is not a whole, well-formed batch id is refused before any lookup.
import { isBatchId, TAG_PREFIX, TRAILER } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { Git } from '../../git/index.js';

export function requireBatchId(id: string): void {
  if (!isBatchId(id)) {
    throw new BatchctlError({
      code: 'BATCH_ID_INVALID',
      message: `"${id}" is not a batch id`,
      hint: 'batch ids look like b-20261122-101500-7k3m9q; they are matched whole, never as a prefix',
      data: { batch_id: id },
    });
  }
}

export interface FoundCommits {
  /** newest first */
  commits: string[];
  /** the commit the batch tag points at, if the tag exists */
  tagged: string | null;
}

export async function findBatchCommits(git: Git, batchId: string): Promise<FoundCommits> {
  requireBatchId(batchId);
  const tagged = await git.resolveCommit(`refs/tags/${TAG_PREFIX}${batchId}`);
  const commits = tagged ? [tagged] : await git.commitsWithTrailer({ key: TRAILER.batchId, value: batchId });
  if (commits.length === 0) {
    throw new BatchctlError({
      code: 'BATCH_NOT_FOUND',
      message: `no commit of batch ${batchId}: no tag ${TAG_PREFIX}${batchId} and no "${TRAILER.batchId}: ${batchId}" trailer in the history of HEAD`,
      hint: 'check the id with `batchctl list`; a batch that failed was never committed',
      data: { batch_id: batchId },
    });
  }
  return { commits, tagged };
}

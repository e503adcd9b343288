// Finding a batch's commits by exact id (docs/lifecycle.md#rollback): its tag first (one ref read), then the Batch-Id
// trailer in history. An id that is not a whole, well-formed batch id is refused before any lookup. In a
// shallow clone the commits and their parents must be in the history (with-history.ts).
import { isBatchId, TAG_PREFIX, TRAILER } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { Git } from '../../git/index.js';
import { withHistory } from './with-history.js';

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

async function lookup(git: Git, batchId: string): Promise<FoundCommits> {
  const tagged = await git.resolveCommit(`refs/tags/${TAG_PREFIX}${batchId}`);
  const commits = tagged ? [tagged] : await git.commitsWithTrailer({ key: TRAILER.batchId, value: batchId });
  return { commits, tagged };
}

/** `fetch`: in a shallow clone, fetch the missing history (and the batch's tag) instead of refusing. */
export async function findBatchCommits(git: Git, batchId: string, { fetch = false }: { fetch?: boolean } = {}): Promise<FoundCommits> {
  requireBatchId(batchId);
  const found = await withHistory({
    git,
    fetch,
    need: `batch ${batchId}'s commit or its parent`,
    attempt: async (boundary) => {
      const result = await lookup(git, batchId);
      if (boundary.size === 0) return result;
      // Not found may only mean "older than the boundary"; a boundary commit's parent is missing.
      if (result.commits.length === 0 || result.commits.some((c) => boundary.has(c))) return null;
      return result;
    },
  });
  if (found.commits.length === 0) {
    throw new BatchctlError({
      code: 'BATCH_NOT_FOUND',
      message: `no commit of batch ${batchId}: no tag ${TAG_PREFIX}${batchId} and no "${TRAILER.batchId}: ${batchId}" trailer in the history of HEAD`,
      hint: 'check the id with `batchctl list`; a batch that failed was never committed',
      data: { batch_id: batchId },
    });
  }
  if (found.tagged === null && fetch) {
    // A clone made with --no-tags, or deepened past the tag: its commit is here now, so the tag is cheap.
    const remote = await git.historyRemote();
    if (remote && (await git.fetchTag({ remote, tag: `${TAG_PREFIX}${batchId}` }))) return lookup(git, batchId);
  }
  return found;
}

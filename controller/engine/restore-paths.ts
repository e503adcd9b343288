// Putting paths back to their pre-batch state, from git's object store (no checkout, so no filter
// or hook runs). Used when a batch is rolled back before commit and by crash recovery.
import type { JournalPath } from '../domain/index.js';
import type { Git } from '../git/index.js';
import { atomicWrite, removeFile } from '../ops/index.js';

export async function restorePaths({ git, paths }: { git: Git; paths: readonly JournalPath[] }): Promise<number> {
  const blobs = await git.readBlobs(paths.flatMap((p) => (p.before ? [p.before.oid] : [])));
  let restored = 0;
  for (const { path, before } of paths) {
    if (before) {
      const bytes = blobs.get(before.oid);
      if (!bytes) throw new Error(`blob ${before.oid} for ${path} is missing from the object store`);
      // In place: a failure leaves the journal in place, and the next command restores again.
      atomicWrite(git.root, path, bytes, before.mode, { inPlace: true });
    } else {
      removeFile(git.root, path);
    }
    restored++;
  }
  return restored;
}

/** Make these paths in the work tree and index what they are in `commit` (a replay's new head). */
export async function materializePaths(git: Git, commit: string, paths: readonly string[]): Promise<void> {
  const entries = await git.treeEntries(commit, paths);
  await restorePaths({ git, paths: paths.map((path) => ({ path, before: entries.get(path) ?? null })) });
  await git.updateIndex(paths.map((path) => ({ path, entry: entries.get(path) ?? null })));
}

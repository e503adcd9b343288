// The index entries `update-index --index-info` was given, read back (docs/lifecycle.md#durability-and-concurrency):
// git takes input cut short as the whole of it and exits 0, which would leave the batch's paths
// staged as their reverts (a later `git commit` would commit them as the user's).
import type { TreeChange } from './plumbing.js';
import type { GitRunner } from './runner.js';
import { listIndexEntries } from './worktree-state.js';
import { writeUnverified } from './write-unverified.js';

/** Throws GIT_WRITE_UNVERIFIED naming the paths whose index entry is not the one given. */
export async function expectIndexEntries(
  git: GitRunner,
  { changes, indexSize }: { changes: readonly TreeChange[]; indexSize: number },
): Promise<void> {
  if (changes.length === 0) return;
  const entries = await listIndexEntries(
    git,
    changes.map((c) => c.path),
    indexSize,
  );
  const wrong = changes.filter(({ path, entry }) => {
    const now = entries.get(path);
    return entry ? now?.oid !== entry.oid || now.mode !== entry.mode : now !== undefined;
  });
  if (wrong.length > 0) {
    throw writeUnverified({
      what: 'git update-index left index entries other than the ones it was given',
      data: { paths: wrong.slice(0, 20).map((c) => c.path), count: wrong.length },
    });
  }
}

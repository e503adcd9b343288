// Belt and braces (docs/lifecycle.md#rollback): whatever went wrong before (a shallow boundary taken for
// a root commit, a hand-made commit accepted with --force), a revert touches only paths the batch's
// commits changed, and no commit changed more paths than its Batch-Operations allow. Checked before
// a dry run answers, so a dry run says it would refuse.
import { TRAILER } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { PathChange } from '../../git/index.js';

/** A step changes at most two paths (a move: its source and its target). */
const PATHS_PER_OPERATION = 2;

export function checkRevertScope({
  batchId,
  commits,
  planned,
  renamed = new Map(),
}: {
  batchId: string;
  /** each commit with its trailers and every path it changed against its parent */
  commits: ReadonlyArray<{ commit: string; trailers: ReadonlyMap<string, string>; changes: readonly PathChange[] }>;
  /** the paths the revert would write or delete */
  planned: readonly string[];
  /** batch path → its path at HEAD (renamed since the batch): a revert follows the rename there */
  renamed?: ReadonlyMap<string, string>;
}): void {
  const problems: string[] = [];
  for (const { commit, trailers, changes } of commits) {
    const operations = trailers.get(TRAILER.operations) ?? '';
    if (/^\d+$/.test(operations) && changes.length > PATHS_PER_OPERATION * Number(operations)) {
      problems.push(`${commit.slice(0, 12)} changed ${changes.length} paths but records ${operations} operations`);
    }
  }
  const own = new Set(commits.flatMap((c) => c.changes.map((change) => change.path)));
  // Only a rename of one of the batch's own paths adds a target; the targets do not widen the sources.
  const targets = [...renamed].flatMap(([from, to]) => (own.has(from) ? [to] : []));
  for (const target of targets) own.add(target);
  const outside = planned.filter((path) => !own.has(path));
  if (outside.length > 0) problems.push(`it would change ${outside.length} paths the batch did not (${outside.slice(0, 5).join(', ')})`);
  if (problems.length > 0) {
    throw new BatchctlError({
      code: 'ROLLBACK_UNSAFE',
      message: `rolling back ${batchId} would change far more than the batch did: ${problems.join('; ')}; nothing was changed`,
      hint: 'a commit without its parent (a shallow clone) looks like it added every file: fetch the history (`git fetch --unshallow`) and look at the commit with `git show --stat`',
      data: { batch_id: batchId, problems, outside: outside.slice(0, 100) },
    });
  }
}

// Where a commit's paths went since: the renames git's merge machinery would follow when reverting that commit
// onto `head` (`git revert` detects renames between the reverted commit and HEAD; docs/lifecycle.md#rollback).
import { splitNul, type GitRunner } from './runner.js';

/**
 * Each of `sources` (paths in `base`) that is gone at `head` because it was renamed, with its path at `head`.
 * Whole trees are compared (a pathspec would hide the targets); only renames from `sources` are kept.
 */
export async function renamesSince(
  git: GitRunner,
  { base, head, sources }: { base: string; head: string; sources: readonly string[] },
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  if (sources.length === 0) return renames;
  const wanted = new Set(sources);
  const { stdout } = await git.exec(['diff-tree', '-r', '-z', '-M', '--diff-filter=R', '--no-commit-id', base, head]);
  const records = splitNul(stdout);
  // ":<old mode> <new mode> <old oid> <new oid> R<score>" then the old path and the new path
  for (let i = 0; i + 2 < records.length; i += 3) {
    const from = records[i + 1] ?? '';
    const to = records[i + 2] ?? '';
    if (wanted.has(from) && !wanted.has(to)) renames.set(from, to);
  }
  return renames;
}

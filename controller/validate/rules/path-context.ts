// Rules about where a path sits: its parent directories (no file or symlink on the way, no escape
// through a symlink), its git state (no user work lost) and symlink targets that leave the repository.
import { posix } from 'node:path';

import { ISSUE } from '../../domain/index.js';
import { ancestorsOf, type Facts } from '../facts.js';
import type { IssueList } from '../issues.js';
import type { VirtualTree } from '../virtual-tree.js';

/** Does a symlink at `path` pointing at `link` resolve outside the repository? */
export function linkEscapes(path: string, link: string): boolean {
  if (link.startsWith('/')) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(path), link));
  return resolved === '..' || resolved.startsWith('../');
}

/** Where a symlink (existing, or copied by the batch from `origin`) points. */
function linkTargetOf(facts: Facts, origin: string | null, path: string): string {
  try {
    return facts.linkTarget(origin ?? path);
  } catch {
    return '/'; // unreadable: treat as escaping, refusing is the safe answer
  }
}

/** Every parent directory must be a plain directory (or not exist yet). */
export function checkAncestors(path: string, index: number, tree: VirtualTree, facts: Facts, issues: IssueList): boolean {
  for (const dir of ancestorsOf(path)) {
    const entry = tree.get(dir);
    if (!entry.exists) continue;
    if (entry.kind === 'symlink') {
      const link = linkTargetOf(facts, entry.origin, dir);
      if (linkEscapes(dir, link)) {
        issues.error(
          ISSUE.symlinkEscape,
          index,
          path,
          `${dir} is a symlink to ${link}, outside the repository`,
          'batches never follow symlinks out of the repository',
        );
      } else {
        issues.error(
          ISSUE.pathThroughSymlink,
          index,
          path,
          `${dir} is a symlink; git does not track files beyond a symlink`,
          'use the path the symlink points to',
        );
      }
      return false;
    }
    issues.error(ISSUE.pathTypeConflict, index, path, `${dir} is a file, so ${path} cannot be created below it`);
    return false;
  }
  return true;
}

/** The pre-batch git state of a path must not hold user work the batch could destroy. */
export function checkGitState(path: string, role: 'source' | 'target', index: number, facts: Facts, issues: IssueList): boolean {
  const state = facts.states.get(path);
  if (state === 'dirty') {
    issues.error(
      ISSUE.pathDirty,
      index,
      path,
      `${path} has uncommitted changes`,
      'commit or stash them first: batchctl never touches work it cannot give back',
    );
    return false;
  }
  if (state === 'ignored' || facts.ignored.has(path)) {
    issues.error(ISSUE.pathIgnored, index, path, `${path} is ignored by .gitignore`, 'a batch only changes files git can track and revert');
    return false;
  }
  if (state === 'untracked' && role === 'target') {
    issues.error(
      ISSUE.untrackedOverwrite,
      index,
      path,
      `${path} exists but is not tracked; the batch would overwrite it`,
      'commit it, move it away, or delete it first',
    );
    return false;
  }
  return true;
}

// What the repository says about the paths a batch touches: git's view (index, status, ignore rules)
// and the disk's (file kinds, symlink targets). Gathered once per batch, for those paths only.
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';

import type { Git, IndexEntry, PathState } from '../git/index.js';
import { spellingIndex } from '../paths/index.js';
import { diskKinds, type DiskKind } from './disk-kinds.js';

export type { DiskKind };

export interface Facts {
  index: Map<string, IndexEntry>;
  states: Map<string, PathState>;
  ignored: Set<string>;
  disk(path: string): DiskKind;
  linkTarget(path: string): string;
  /** collisionKey → the spellings HEAD's names beside the new paths have (files and directories); empty when the batch creates nothing */
  trackedSpellings: Map<string, Set<string>>;
}

/** `a/b/c` → `a`, `a/b`: prefixes up to each `/` (no split and re-join: this runs for every path). */
function ancestorsOf(path: string): string[] {
  const result: string[] = [];
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) result.push(path.slice(0, at));
  return result;
}

export { ancestorsOf };

export async function gatherFacts(git: Git, root: string, touched: readonly string[]): Promise<Facts> {
  const disk = diskKinds(root, touched);
  const index = await git.indexEntries(touched);
  // A path neither in the index nor on disk has no state for `git status` to report: skip it
  // (a batch of new files then asks status nothing). Its ignore rules are checked below.
  const states = await git.pathStates(
    touched.filter((path) => index.has(path) || disk(path) !== 'missing'),
    (path) => index.has(path),
  );
  // check-ignore only for paths not tracked: a tracked file is never "ignored". It dies on a path
  // beyond a symlink ("is beyond a symbolic link"); checkAncestors refuses those paths anyway.
  const untracked = touched.filter((path) => !index.has(path) && !ancestorsOf(path).some((dir) => disk(dir) === 'symlink'));
  const ignored = await git.ignored(untracked);
  // One ls-files of the whole index, only when the batch names a path git does not track: only a new
  // spelling can collide with a tracked file.
  // Only a new path can be a second spelling of a committed one, and only of a name in HEAD's root or
  // in a directory on its way: those trees are read, not the whole index.
  const created = touched.filter((path) => !index.has(path));
  const trackedSpellings =
    created.length > 0 ? spellingIndex(await git.namesBeside(created.flatMap(ancestorsOf))) : new Map<string, Set<string>>();
  return { index, states, ignored, disk, linkTarget: (path) => readlinkSync(join(root, path), 'utf8'), trackedSpellings };
}

// What reverting a batch means, path by path, computed without touching the work tree: for each path
// the batch changed, a three-way decision between the batch's version (base), the pre-batch version
// (theirs) and HEAD's (ours) — `git revert` semantics, at the cost of the batch, not the repository.
// A path renamed after the batch is followed to its new name, as git's merge machinery does for a revert.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Git, IndexEntry, PathChange } from '../../git/index.js';

export type RevertAction =
  | { path: string; kind: 'restore'; entry: IndexEntry; ours: IndexEntry | null }
  | { path: string; kind: 'merge'; bytes: Buffer; mode: string; ours: IndexEntry }
  | { path: string; kind: 'delete'; ours: IndexEntry }
  | { path: string; kind: 'unchanged' }
  | { path: string; kind: 'conflict'; why: string }
  | { path: string; kind: 'unsupported'; why: string };

const same = (a: IndexEntry | null | undefined, b: IndexEntry | null | undefined): boolean =>
  (a ?? null) === null ? (b ?? null) === null : a?.oid === b?.oid && a?.mode === b?.mode;
const isFile = (e: IndexEntry | null): boolean => e !== null && (e.mode === '100644' || e.mode === '100755');

async function merge(git: Git, dir: string, change: PathChange, ours: IndexEntry, n: number): Promise<Buffer | null> {
  const base = change.after as IndexEntry;
  const theirs = change.before as IndexEntry;
  const blobs = await git.readBlobs([ours.oid, base.oid, theirs.oid]);
  const files = { ours: join(dir, `${n}.ours`), base: join(dir, `${n}.base`), theirs: join(dir, `${n}.theirs`) };
  await writeFile(files.ours, blobs.get(ours.oid) ?? Buffer.alloc(0));
  await writeFile(files.base, blobs.get(base.oid) ?? Buffer.alloc(0));
  await writeFile(files.theirs, blobs.get(theirs.oid) ?? Buffer.alloc(0));
  return git.mergeFile(files);
}

/**
 * @param target what each path should go back to: the pre-batch entry (revert), or the backup
 * commit's entry (`--restore`, which overrides later changes instead of merging with them).
 */
export async function planRevert({
  git,
  changes,
  head,
  scratchDir,
  restoreFrom,
  renames = new Map(),
}: {
  git: Git;
  changes: readonly PathChange[];
  head: string;
  scratchDir: string;
  restoreFrom: Map<string, IndexEntry> | null;
  /** batch path → its path at HEAD, for the paths renamed since the batch (git.renamesSince) */
  renames?: ReadonlyMap<string, string>;
}): Promise<RevertAction[]> {
  const current = await git.treeEntries(head, [...changes.map((c) => c.path), ...renames.values()]);
  const dir = await mkdtemp(join(scratchDir, 'revert-'));
  try {
    const actions: RevertAction[] = [];
    let n = 0;
    for (const change of changes) {
      const moved = current.has(change.path) ? undefined : renames.get(change.path);
      const path = moved ?? change.path;
      const ours = current.get(path) ?? null;
      const theirs = restoreFrom ? (restoreFrom.get(change.path) ?? null) : change.before;
      const movedFrom = moved ? ` (moved from ${change.path})` : '';
      if (same(ours, theirs)) actions.push({ path, kind: 'unchanged' });
      // git revert too: deleting a file someone moved since is a rename/delete conflict, whatever its content
      else if (moved && !theirs) actions.push({ path, kind: 'conflict', why: `a later commit moved it${movedFrom}` });
      else if (theirs && !isFile(theirs)) actions.push({ path, kind: 'unsupported', why: `its pre-batch entry has mode ${theirs.mode}` });
      else if (restoreFrom || same(ours, change.after)) {
        actions.push(theirs ? { path, kind: 'restore', entry: theirs, ours } : { path, kind: 'delete', ours: ours as IndexEntry });
      } else if (ours && change.after && change.before && isFile(ours) && isFile(change.after) && isFile(change.before)) {
        const bytes = await merge(git, dir, change, ours, n++);
        // a mode change made after the batch wins; otherwise the pre-batch mode comes back
        const mode = ours.mode === change.after.mode ? change.before.mode : ours.mode;
        actions.push(
          bytes
            ? { path, kind: 'merge', bytes, mode, ours }
            : { path, kind: 'conflict', why: `a later commit changed the same lines${movedFrom}` },
        );
      } else {
        actions.push({ path, kind: 'conflict', why: `${ours ? 'a later commit changed it' : 'a later commit deleted it'}${movedFrom}` });
      }
    }
    return actions;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

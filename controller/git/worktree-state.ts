// What git knows about the paths a batch touches, asked path by path: never a scan of the work tree
// (docs/lifecycle.md#how-batchctl-drives-git), so the cost follows the batch, not the repository.
//
// One exception, for cost's sake: git matches every index entry against every pathspec, so asking
// about N paths in an index of M entries costs N × M (10,000 × 10,000 took 0.4 s for ls-files and
// 1.5 s for status). When that product is large, one pass over the whole index (M) is cheaper, and
// its answer is filtered here. Still no walk of untracked directories.
import { openSync, closeSync, readSync } from 'node:fs';
import { join } from 'node:path';

import { chunkPaths, splitNul, type GitRunner } from './runner.js';

/** Above this many path × index-entry comparisons, read the whole index instead. */
const PATHSPEC_WORK_LIMIT = 10_000_000;

/** Entries in `.git/index`, from its 12-byte header ("DIRC", version, count); 0 when absent. */
export function indexEntryCount(gitDir: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(join(gitDir, 'index'), 'r');
    const header = Buffer.alloc(12);
    if (readSync(fd, header, 0, 12, 0) < 12 || header.toString('latin1', 0, 4) !== 'DIRC') return 0;
    return header.readUInt32BE(8);
  } catch {
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const wholeIndexIsCheaper = (paths: number, indexSize: number): boolean => paths * indexSize > PATHSPEC_WORK_LIMIT;

export interface IndexEntry {
  mode: string;
  oid: string;
}

/** `dirty`: staged or unstaged changes; `untracked` / `ignored`: present on disk, not in the index. */
export type PathState = 'dirty' | 'untracked' | 'ignored';

/**
 * Calls `each` with the space-separated fields and the path of every `<fields>\t<path>` record that
 * `args` lists for exactly these paths: by pathspec, or, when paths × `size` is large, from one
 * listing of everything, filtered here.
 */
async function forEachListed(
  git: GitRunner,
  args: readonly string[],
  paths: readonly string[],
  size: number,
  each: (fields: string[], path: string) => void,
): Promise<void> {
  const whole = wholeIndexIsCheaper(paths.length, size);
  const wanted = whole ? new Set(paths) : null;
  for (const chunk of whole ? [[]] : chunkPaths(paths)) {
    const { stdout } = await git.exec([...args, '--', ...chunk]);
    for (const record of splitNul(stdout)) {
      const tab = record.indexOf('\t');
      const path = record.slice(tab + 1);
      if (!wanted || wanted.has(path)) each(record.slice(0, tab).split(' '), path);
    }
  }
}

/** Index entries (stage 0) for exactly these paths. */
export async function listIndexEntries(git: GitRunner, paths: readonly string[], indexSize = 0): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>();
  // "<mode> <oid> <stage>\t<path>"
  await forEachListed(git, ['ls-files', '-s', '-z'], paths, indexSize, ([mode, oid, stage], path) => {
    if (mode && oid && stage === '0') entries.set(path, { mode, oid });
  });
  return entries;
}

/** Tracked files below each directory prefix ('' = the whole repository), for glob expansion. */
export async function listTrackedUnder(git: GitRunner, prefixes: readonly string[]): Promise<string[]> {
  if (prefixes.includes('')) return splitNul((await git.exec(['ls-files', '-z'])).stdout);
  const files = new Set<string>();
  for (const chunk of chunkPaths([...new Set(prefixes)])) {
    for (const file of splitNul((await git.exec(['ls-files', '-z', '--', ...chunk])).stdout)) files.add(file);
  }
  return [...files];
}

/**
 * Paths (or files below path-prefixes) that are not clean: changed, untracked or ignored.
 * `isTracked` (the caller's index lookup) lets many tracked paths be checked in one whole-index pass.
 */
export async function pathStates(
  git: GitRunner,
  paths: readonly string[],
  { indexSize = 0, isTracked }: { indexSize?: number; isTracked?: (path: string) => boolean } = {},
): Promise<Map<string, PathState>> {
  if (!isTracked || !wholeIndexIsCheaper(paths.length, indexSize)) return statusOf(git, paths, 'all');
  const tracked = new Set(paths.filter((path) => isTracked(path)));
  const states = await statusOf(
    git,
    paths.filter((path) => !tracked.has(path)),
    'all',
  );
  // Tracked files only: no untracked walk, so the pass costs one lstat per index entry.
  for (const [path, state] of await statusOf(git, [], 'no')) if (tracked.has(path)) states.set(path, state);
  return states;
}

/** `git status` for these paths (none: the whole index, which needs `untracked` = 'no'). */
async function statusOf(git: GitRunner, paths: readonly string[], untracked: 'all' | 'no'): Promise<Map<string, PathState>> {
  const states = new Map<string, PathState>();
  for (const chunk of untracked === 'no' ? [[]] : chunkPaths(paths)) {
    const { stdout } = await git.exec([
      'status',
      '--porcelain=v2',
      '-z',
      `--untracked-files=${untracked}`,
      ...(untracked === 'all' ? ['--ignored=matching'] : []),
      '--no-renames',
      '--',
      ...chunk,
    ]);
    const records = splitNul(stdout);
    for (let i = 0; i < records.length; i++) {
      const record = records[i] ?? '';
      const kind = record[0];
      // A path can appear twice (`git rm --cached`: deleted in the index, untracked on disk); dirty wins.
      if (kind === '?' && !states.has(record.slice(2))) states.set(record.slice(2), 'untracked');
      else if (kind === '!' && !states.has(record.slice(2))) states.set(record.slice(2), 'ignored');
      else if (kind === '1') states.set(fieldsAfter(record, 8), 'dirty');
      else if (kind === 'u') states.set(fieldsAfter(record, 10), 'dirty');
      else if (kind === '2') {
        states.set(fieldsAfter(record, 9), 'dirty');
        i++; // the original path follows as its own record
      }
    }
  }
  return states;
}

/** Of these paths, the ones .gitignore rules would ignore (tracked files never count as ignored). */
export async function ignoredPaths(git: GitRunner, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  // --no-index: callers pass untracked paths only, and without it git matches every path against
  // the whole index (10,000 paths × 10,000 entries took 0.75 s in bench/).
  // Sorted, so a directory's paths come together: git reads each directory's .gitignore files once
  // per run of its paths, and in batch order 10,000 paths cost 10,000 opens (43 ms) instead of ~100.
  const { stdout } = await git.exec(['check-ignore', '-z', '--no-index', '--stdin'], {
    input: [...paths].sort().join('\0') + '\0',
    okExitCodes: [1],
    // check-ignore rejects literal pathspecs; its stdin holds paths that validation already cleared
    // of pathspec magic (no leading ':').
    env: { GIT_LITERAL_PATHSPECS: '0' },
  });
  return new Set(splitNul(stdout));
}

/** The path field of a porcelain v2 record: everything after `count` space-separated fields. */
function fieldsAfter(record: string, count: number): string {
  let index = 0;
  for (let i = 0; i < count; i++) index = record.indexOf(' ', index) + 1;
  return record.slice(index);
}

/**
 * Entries of a commit's tree for exactly these paths (absent paths are not in the map). `treeSize`:
 * about how many files the commit holds (the index's count serves): 10,000 paths in a 10,000-file
 * tree take one ~13 ms listing instead of three ~190 ms `ls-tree` runs with pathspecs.
 */
export async function treeEntries(
  git: GitRunner,
  commit: string,
  paths: readonly string[],
  treeSize = 0,
): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>();
  // "<mode> <type> <oid>\t<path>"
  await forEachListed(git, ['ls-tree', '-r', '-z', '--full-tree', commit], paths, treeSize, ([mode, , oid], path) => {
    if (mode && oid) entries.set(path, { mode, oid });
  });
  return entries;
}

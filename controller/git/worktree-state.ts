// What git knows about the paths a batch touches, asked path by path: never a scan of the work tree
// (SPEC §12), so the cost follows the batch, not the repository.
import { chunkPaths, splitNul, type GitRunner } from './runner.js';

export interface IndexEntry {
  mode: string;
  oid: string;
}

/** `dirty`: staged or unstaged changes; `untracked` / `ignored`: present on disk, not in the index. */
export type PathState = 'dirty' | 'untracked' | 'ignored';

/** Index entries (stage 0) for exactly these paths. */
export async function listIndexEntries(git: GitRunner, paths: readonly string[]): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>();
  for (const chunk of chunkPaths(paths)) {
    const { stdout } = await git.exec(['ls-files', '-s', '-z', '--', ...chunk]);
    for (const record of splitNul(stdout)) {
      // "<mode> <oid> <stage>\t<path>"
      const tab = record.indexOf('\t');
      const [mode, oid, stage] = record.slice(0, tab).split(' ');
      if (mode && oid && stage === '0') entries.set(record.slice(tab + 1), { mode, oid });
    }
  }
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

/** Paths (or files below path-prefixes) that are not clean: changed, untracked or ignored. */
export async function pathStates(git: GitRunner, paths: readonly string[]): Promise<Map<string, PathState>> {
  const states = new Map<string, PathState>();
  for (const chunk of chunkPaths(paths)) {
    const { stdout } = await git.exec([
      'status', '--porcelain=v2', '-z', '--untracked-files=all', '--ignored=matching', '--no-renames', '--', ...chunk,
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
  const { stdout } = await git.exec(['check-ignore', '-z', '--no-index', '--stdin'], {
    input: paths.join('\0') + '\0',
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

/** Entries of a commit's tree for exactly these paths (absent paths are not in the map). */
export async function treeEntries(git: GitRunner, commit: string, paths: readonly string[]): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>();
  for (const chunk of chunkPaths(paths)) {
    const { stdout } = await git.exec(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...chunk]);
    for (const record of splitNul(stdout)) {
      // "<mode> <type> <oid>\t<path>"
      const tab = record.indexOf('\t');
      const [mode, , oid] = record.slice(0, tab).split(' ');
      if (mode && oid) entries.set(record.slice(tab + 1), { mode, oid });
    }
  }
  return entries;
}

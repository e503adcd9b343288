// Reading history: what a commit changed, and which commits carry a given trailer (exact match).
import { parseTrailers } from './trailers.js';
import { splitNul, type GitRunner } from './runner.js';
import type { IndexEntry } from './worktree-state.js';

export interface PathChange {
  path: string;
  /** the entry before the commit (its first parent), null when the commit added the path */
  before: IndexEntry | null;
  /** the entry in the commit, null when the commit deleted the path */
  after: IndexEntry | null;
}

const ZERO = /^0+$/;

/** Every path a commit changed relative to its first parent (or to nothing, for a root commit). */
export async function commitChanges(git: GitRunner, commit: string): Promise<PathChange[]> {
  const { stdout } = await git.exec(['diff-tree', '-r', '-z', '--no-renames', '--no-commit-id', '--root', '-m', '--first-parent', commit]);
  const records = splitNul(stdout);
  const changes: PathChange[] = [];
  for (let i = 0; i + 1 < records.length; i += 2) {
    // ":<old mode> <new mode> <old oid> <new oid> <status>" then the path
    const [oldMode, newMode, oldOid, newOid] = (records[i] ?? '').slice(1).split(' ');
    const path = records[i + 1] ?? '';
    changes.push({
      path,
      before: oldOid && oldMode && !ZERO.test(oldOid) ? { mode: oldMode, oid: oldOid } : null,
      after: newOid && newMode && !ZERO.test(newOid) ? { mode: newMode, oid: newOid } : null,
    });
  }
  return changes;
}

/**
 * Commits reachable from `ref` whose trailer `key` is exactly `value`, newest first. `--grep` only
 * narrows the search; the trailer is then parsed and compared whole (never a prefix or substring).
 */
export async function commitsWithTrailer(
  git: GitRunner,
  { key, value, ref = 'HEAD' }: { key: string; value: string; ref?: string },
): Promise<string[]> {
  const { stdout } = await git.exec(
    ['log', '--format=%H%x1f%B%x1e', '--fixed-strings', `--grep=${key}: ${value}`, '--end-of-options', ref, '--'],
    { okExitCodes: [128] }, // an unborn HEAD has no history
  );
  return stdout
    .toString('utf8')
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.includes('\x1f'))
    .filter((record) => parseTrailers(record.slice(record.indexOf('\x1f') + 1)).get(key) === value)
    .map((record) => record.slice(0, record.indexOf('\x1f')));
}

/** A three-way text merge (`git merge-file`): the merged bytes, or null when the sides conflict. */
export async function mergeFile(git: GitRunner, files: { ours: string; base: string; theirs: string }): Promise<Buffer | null> {
  const { stdout, exitCode } = await git.exec(['merge-file', '-p', '--quiet', files.ours, files.base, files.theirs], {
    okExitCodes: Array.from({ length: 127 }, (_, i) => i + 1), // >0: the number of conflicts
  });
  return exitCode === 0 ? stdout : null;
}

// A commit's diff summary (the dashboard's batch detail): each path it changed against its first parent
// with the lines added and deleted, as `git diff-tree --numstat` counts them.
import { splitNul, type GitRunner } from './runner.js';

export interface FileStat {
  path: string;
  /** null for a binary file (git counts no lines) */
  added: number | null;
  deleted: number | null;
}

export async function diffStat(git: GitRunner, commit: string): Promise<FileStat[]> {
  // --no-renames: the paths are the batch's own (a move is a delete and a write), as in commitChanges.
  const { stdout } = await git.exec([
    'diff-tree',
    '-r',
    '-z',
    '--numstat',
    '--no-renames',
    '--no-commit-id',
    '--root',
    '-m',
    '--first-parent',
    commit,
  ]);
  const stats: FileStat[] = [];
  // -z: "<added>\t<deleted>\t<path>" records, NUL-terminated; binary files count "-".
  for (const record of splitNul(stdout)) {
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(record);
    if (!match) continue;
    const [, added = '-', deleted = '-', path = ''] = match;
    stats.push({ path, added: added === '-' ? null : Number(added), deleted: deleted === '-' ? null : Number(deleted) });
  }
  return stats;
}

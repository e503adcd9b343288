// Shallow clones (docs/lifecycle.md#rollback): a depth-N clone (actions/checkout's default is 1) has
// commits whose parents it does not have. git shows such a boundary commit as parentless, so its diff
// is "every file added" and reverting it deletes the repository: callers that need history ask here.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import type { GitRunner } from './runner.js';

/** Where the boundary is listed (`--git-path`: in a linked worktree, the main repository's file); fixed for a repository. */
export async function shallowFile(git: GitRunner): Promise<string> {
  const path = await git.text(['rev-parse', '--git-path', 'shallow']);
  return isAbsolute(path) ? path : join(git.cwd, path);
}

/** The boundary commits listed in `file` (shallowFile); empty for a complete clone. */
export async function shallowBoundary(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  );
}

/** The remote history can come from: the branch's upstream remote, else `origin`; null when there is none. */
export async function historyRemote(git: GitRunner): Promise<string | null> {
  const branch = await git.exec(['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1] });
  const ref = branch.stdout.toString('utf8').trim();
  if (branch.exitCode === 0 && ref !== '') {
    const remote = await git.text(['for-each-ref', '--format=%(upstream:remotename)', '--', ref]);
    if (remote !== '') return remote;
  }
  const remotes = (await git.text(['remote'])).split('\n');
  return remotes.includes('origin') ? 'origin' : null;
}

/**
 * `by` more commits behind the boundary from `remote` (`git fetch --deepen`), or all of them
 * (`by: 'all'`, `--unshallow`). Tags pointing at the commits received come along, unless the clone
 * was made with --no-tags.
 */
export async function deepenHistory(git: GitRunner, { remote, by }: { remote: string; by: number | 'all' }): Promise<void> {
  await git.exec(['fetch', '--quiet', by === 'all' ? '--unshallow' : `--deepen=${by}`, '--', remote]);
}

/** Fetch one tag whose commit is already here (cheap: no history comes with it); false when the remote has no such tag. */
export async function fetchTag(git: GitRunner, { remote, tag }: { remote: string; tag: string }): Promise<boolean> {
  const { exitCode } = await git.exec(['fetch', '--quiet', '--no-tags', '--', remote, `+refs/tags/${tag}:refs/tags/${tag}`], {
    okExitCodes: [1, 128],
  });
  return exitCode === 0;
}

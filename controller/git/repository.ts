// Finding the repository: its work-tree root and git directory, from any folder inside it.
import { BatchctlError } from '../errors/index.js';
import { GitError } from './git-error.js';
import type { GitRunner } from './runner.js';

export interface RepositoryPaths {
  root: string;
  gitDir: string;
}

export async function locateRepository(git: GitRunner): Promise<RepositoryPaths> {
  try {
    const [root, gitDir] = (await git.text(['rev-parse', '--show-toplevel', '--absolute-git-dir'])).split('\n');
    if (!root || !gitDir) throw new Error('rev-parse printed no paths');
    return { root, gitDir };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    throw new BatchctlError({
      code: 'NOT_A_REPOSITORY',
      message: `${git.cwd} is not inside a git work tree`,
      hint: 'pass --repo DIR pointing at a git repository, or run `git init` first',
      data: { repo: git.cwd },
    });
  }
}

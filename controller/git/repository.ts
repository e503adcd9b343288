// Finding the repository: its work-tree root and git directory, from any folder inside it.
import { resolve } from 'node:path';

import { BatchctlError } from '../errors/index.js';
import { GitError } from './git-error.js';
import type { ObjectFormat } from './object-format.js';
import type { GitRunner } from './runner.js';

export interface RepositoryPaths {
  root: string;
  gitDir: string;
  /** the directory shared by every worktree (objects, refs, config); `gitDir` itself outside a linked worktree */
  commonDir: string;
  objectFormat: ObjectFormat;
}

export async function locateRepository(git: GitRunner): Promise<RepositoryPaths> {
  try {
    const [root, gitDir, format, common] = (
      await git.text(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--show-object-format', '--git-common-dir'])
    ).split('\n');
    if (!root || !gitDir || !common) throw new Error('rev-parse printed no paths');
    if (format !== 'sha1' && format !== 'sha256') throw new Error(`unknown object format ${format}`);
    return { root, gitDir, commonDir: resolve(git.cwd, common), objectFormat: format };
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

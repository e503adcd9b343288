// A temporary repository with a local bare remote (`origin`, main pushed and tracked): how the e2e
// tests see what a command publishes (branches, tags) without a network. Both are removed after every test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach } from 'vitest';

import { GIT_ENV, gitRepo, removeRepo, type GitRepoOptions, type TestRepo } from './git-repo.js';

/** git in any directory (the bare remote, a clone), its output trimmed */
export const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

export interface RemoteRepo {
  r: TestRepo;
  /** the bare remote's directory */
  remote: string;
}

/**
 * Call at the top of a test file.
 * @example const withRemote = useRemoteRepos(); const { r, remote } = withRemote({ 'a.txt': 'v1\n' });
 */
export function useRemoteRepos(): (files?: Record<string, string>, options?: GitRepoOptions) => RemoteRepo {
  const made: RemoteRepo[] = [];
  afterEach(() => {
    for (const { r, remote } of made.splice(0)) {
      removeRepo(r);
      rmSync(remote, { recursive: true, force: true });
    }
  });
  return (files = {}, options = {}) => {
    const r = gitRepo(files, options);
    const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
    made.push({ r, remote });
    git(remote, 'init', '-q', '--bare', '-b', 'main');
    r.git('remote', 'add', 'origin', remote);
    r.git('push', '-q', '-u', 'origin', 'main');
    return { r, remote };
  };
}

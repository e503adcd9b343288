// A repository whose branch has diverged from its remote: a bare remote with `repo`'s main pushed
// and tracked, another writer's commit pushed there, and a local commit not pushed. Nothing can be
// published until the operator pulls (`repo.git('pull', '--rebase')`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { GIT_ENV, type TestRepo } from './git-repo.js';

export interface DivergedRemote {
  /** the bare remote's directory */
  remote: string;
  /** git in the remote (e.g. `remoteGit('rev-parse', 'main')`) */
  remoteGit(...args: string[]): string;
  /** the remote and the other writer's clone, for the test to remove */
  dirs: string[];
}

export function divergeFromRemote(repo: TestRepo): DivergedRemote {
  const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
  const other = mkdtempSync(join(tmpdir(), 'batchctl-other-'));
  const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  repo.git('remote', 'add', 'origin', remote);
  repo.git('push', '-q', '-u', 'origin', 'main');
  git(other, 'clone', '-q', remote, '.');
  writeFileSync(join(other, 'theirs.txt'), 'theirs\n');
  git(other, 'add', '-A');
  git(other, 'commit', '-q', '-m', 'another writer');
  git(other, 'push', '-q', 'origin', 'main');
  repo.write('ours.txt', 'ours\n');
  repo.commitAll('a local commit, not pushed');
  return {
    remote,
    remoteGit: (...args) => git(remote, ...args),
    dirs: [remote, other],
  };
}

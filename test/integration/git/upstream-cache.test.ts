// The upstream a long-lived engine remembers must never be an old one: once the branch changes or
// its configuration is edited (a new upstream, one removed, another remote), the next answer is git's new one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openGit, upstreamOf } from '../../../controller/git/index.js';
import { GIT_ENV } from '../../helpers/git-repo.js';

const root = mkdtempSync(join(tmpdir(), 'batchctl-upstream-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function repos(): { dir: string; git: (...args: string[]) => string } {
  const remote = join(root, `remote-${Math.random().toString(16).slice(2)}`);
  const dir = `${remote}-clone`;
  const run = (cwd: string, args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote], { env: GIT_ENV });
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env: GIT_ENV });
  run(dir, ['commit', '-q', '--allow-empty', '-m', 'one']);
  run(dir, ['remote', 'add', 'origin', remote]);
  run(dir, ['remote', 'add', 'other', remote]);
  run(dir, ['push', '-q', 'origin', 'main', 'main:side']);
  run(dir, ['fetch', '-q', 'other']);
  return { dir, git: (...args) => run(dir, args) };
}

describe('Git.upstream (remembered between batches)', () => {
  it('follows every change of branch and configuration, each time as git answers', async () => {
    const { dir, git } = repos();
    const handle = await openGit({ dir, identity: { name: 't', email: 't@example.com' } });
    const same = async (): Promise<void> => expect(await handle.upstream()).toEqual(await upstreamOf(handle.runner));
    try {
      expect(await handle.upstream()).toBeNull();
      git('branch', '-q', '--set-upstream-to=origin/main');
      expect(await handle.upstream()).toEqual({ remote: 'origin', remoteRef: 'refs/heads/main', trackingRef: 'refs/remotes/origin/main' });
      git('branch', '-q', '--set-upstream-to=origin/side'); // same size of file, same second
      expect(await handle.upstream()).toMatchObject({ remoteRef: 'refs/heads/side' });
      git('branch', '-q', '--set-upstream-to=other/main');
      expect(await handle.upstream()).toMatchObject({ remote: 'other', trackingRef: 'refs/remotes/other/main' });
      git('checkout', '-q', '-b', 'topic');
      expect(await handle.upstream()).toBeNull();
      git('checkout', '-q', 'main');
      await same();
      git('checkout', '-q', '--detach');
      expect(await handle.upstream()).toBeNull();
      git('checkout', '-q', 'main');
      git('branch', '-q', '--unset-upstream');
      expect(await handle.upstream()).toBeNull();
      await same();
    } finally {
      await handle.close();
    }
  });
});
